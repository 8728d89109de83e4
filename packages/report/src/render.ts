import stringWidth from 'string-width';
import type { Report } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import { addReportToSummary, createCorpusSummary, type CorpusSummary } from './corpus.js';

/** Chinese and English labels of every id, for human-readable output. */
export type LabelTable = Record<string, { zh: string; en: string }>;

/** The key of a unit type's label in a {@link LabelTable} (`unitType.municipal-department`). */
export const unitTypeLabelKey = (id: string): string => `unitType.${id}`;

/** One report as pretty JSON with a final newline (keys in the order the analyzer built them). */
export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** One report as a single JSON line with a final newline. */
export function renderJsonLine(report: unknown): string {
  return JSON.stringify(report) + '\n';
}

/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts colour, cursor, title, hyperlink and
 * clipboard sequences; CR, backspace and BEL), DEL, C1 controls (U+009B is a one-character CSI), the bidirectional
 * controls that reorder what is shown (U+202E), and the line and paragraph separators.
 */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * `text` safe to print on a terminal: every character of {@link TERMINAL_UNSAFE} written as a visible escape
 * (`\t`, `\n`, `\r`, `\x1b`, `\u202e`), so that report text and file names can neither drive the terminal nor break
 * a line in two. Everything else, Chinese and emoji included, is left as it is.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/**
 * A text of several lines (a tool's text report that quotes report and gold texts) safe to print on a terminal: every
 * line escaped as {@link escapeForTerminal} does, its line breaks kept (and tabs, which only move the cursor right).
 */
export function escapeForTerminalLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(escapeForTerminal).join('\t'))
    .join('\n');
}

function pad(s: string, width: number, right = false): string {
  const w = stringWidth(s);
  const fill = ' '.repeat(Math.max(0, width - w));
  return right ? fill + s : s + fill;
}

/** How a table is fitted into a terminal's width: the column whose cells are cut (with …) to make every line fit. */
export interface TableFit {
  /** Columns of the terminal. */
  width: number;
  /** The column that gives way (labels, phrases, file names, messages). */
  column: number;
  /** Cut at the start and keep the end (file names, whose end says most). */
  keepEnd?: boolean;
}

/** Narrowest a column is cut to: a table too wide even so is left for the terminal to wrap. */
const MIN_FIT_WIDTH = 12;

/**
 * `text` cut to at most `width` display columns with `…` at the cut (at the start when `keepEnd`), whole grapheme
 * clusters only: a CJK character counts two columns, an emoji sequence or a letter with its combining marks stays
 * whole.
 */
export function truncateToWidth(text: string, width: number, keepEnd = false): string {
  if (stringWidth(text) <= width) return text;
  const graphemes = Array.from(new Intl.Segmenter().segment(text), (s) => s.segment);
  if (keepEnd) graphemes.reverse();
  const kept: string[] = [];
  let used = 1; // the ellipsis
  for (const g of graphemes) {
    const w = stringWidth(g);
    if (used + w > width) break;
    kept.push(g);
    used += w;
  }
  return keepEnd ? '…' + kept.reverse().join('') : kept.join('') + '…';
}

/**
 * Render rows as an aligned text table; CJK characters count as two columns. Cells are report text and file names:
 * their control characters are escaped ({@link escapeForTerminal}). With `fit`, a table wider than `fit.width` has the
 * cells of one column cut to make it fit (down to {@link MIN_FIT_WIDTH} columns).
 */
export function renderTable(header: string[], rawRows: string[][], rightAligned: number[] = [], fit?: TableFit): string {
  let rows = rawRows.map((r) => r.map(escapeForTerminal));
  const measure = (): number[] => header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  let widths = measure();
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  if (fit && total > fit.width) {
    const target = Math.max(MIN_FIT_WIDTH, widths[fit.column]! - (total - fit.width));
    const cut = (c: string): string => truncateToWidth(c, target, fit.keepEnd);
    header = header.map((h, i) => (i === fit.column ? truncateToWidth(h, target) : h));
    rows = rows.map((r) => r.map((c, i) => (i === fit.column ? cut(c) : c)));
    widths = measure();
  }
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i]!, rightAligned.includes(i))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : '0.0%');
const fmtYuan = (n: number): string => (n >= 1e8 ? `${(n / 1e8).toFixed(2)}亿元` : n >= 1e4 ? `${(n / 1e4).toFixed(2)}万元` : `${n}元`);

/**
 * A readable terminal summary of a corpus (or of one report, as a corpus of one): passages per function, category,
 * subcategory and root cause with shares, the most frequent evidence phrases, fact totals, the documents with the most
 * problem passages and the inputs that failed. With `width` (a terminal's columns), every table is fitted into it
 * ({@link renderTable}); without, nothing is cut.
 */
export function renderCorpusSummary(acc: CorpusSummary, labels: LabelTable, keywordLimit = 15, width?: number): string {
  // On a terminal, each table's widest text column gives way so that no line wraps.
  const fit = (column: number, keepEnd = false): TableFit | undefined => (width ? { width, column, keepEnd } : undefined);
  const label = (id: string): string => {
    const l = labels[id];
    return l ? `${l.zh} ${l.en}` : id;
  };
  const out: string[] = [];
  out.push(`xunshi summary: ${acc.documents} document(s) analysed${acc.failed ? `, ${acc.failed} failed` : ''}, ${acc.passages} passage(s)`);
  out.push('');
  out.push(renderTable(['function', 'label', 'passages', 'share'], FUNCTION_IDS.map((f) => [f, label(f), String(acc.functions[f]), pct(acc.functions[f], acc.passages)]), [2, 3], fit(1)));
  out.push('');
  const catRows: string[][] = [];
  for (const c of CATEGORY_IDS) {
    catRows.push([c, label(c), String(acc.categories[c]), pct(acc.categories[c], acc.passages)]);
    // By id, as in each report's own summary: the same reports give the same table in any input order.
    const subs = Object.entries(acc.subcategories)
      .filter(([k]) => k.startsWith(c + '.'))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [sub, n] of subs) catRows.push([`  ${sub}`, `  ${label(sub)}`, String(n), pct(n, acc.passages)]);
  }
  out.push(renderTable(['category / subcategory', 'label', 'passages', 'share'], catRows, [2, 3], fit(1)));
  out.push('');
  out.push(renderTable(['root cause', 'label', 'passages', 'share'], ROOT_CAUSE_IDS.map((r) => [r, label(r), String(acc.rootCauses[r]), pct(acc.rootCauses[r], acc.passages)]), [2, 3], fit(1)));
  const kw = [...acc.keywords.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, keywordLimit);
  if (kw.length) {
    out.push('');
    out.push(renderTable(['evidence phrase', 'count'], kw.map(([t, n]) => [t, String(n)]), [1], fit(0)));
  }
  const factRows = [...CATEGORY_IDS, 'none' as const]
    .map((c) => [c === 'none' ? 'no category' : label(c), acc.facts[c]] as const)
    .filter(([, v]) => v.amount || v.people || v.cases)
    .map(([name, v]) => [name, fmtYuan(v.amount), String(v.people), String(v.cases)]);
  if (factRows.length) {
    out.push('');
    out.push(renderTable(['facts by category', 'amount', 'people', 'cases'], factRows, [1, 2, 3], fit(0)));
  }
  if (acc.documents > 1 && acc.topDocuments.length) {
    out.push('');
    out.push(renderTable(['documents with most problem passages', 'problems', 'passages'], acc.topDocuments.map((d) => [d.path, String(d.problems), String(d.passages)]), [1, 2], fit(0, true)));
  }
  if (acc.errors.length) {
    out.push('');
    out.push(renderTable(['failed input', 'code', 'message'], acc.errors.map((e) => [e.path + (e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''), e.code, e.message])));
  }
  return out.join('\n') + '\n';
}
