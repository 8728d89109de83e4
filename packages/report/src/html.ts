import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Element, ElementContent, Properties, Root } from 'hast';
import { h, s } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import { CATEGORY_IDS, ERROR_CODES, FUNCTION_IDS, ROOT_CAUSE_IDS, XunshiError, type ErrorEntry, type Fact, type Passage, type Report, type ReportSummary } from '@xunshi/types';
import { unitTypeLabelKey, type LabelTable } from './render.js';
import { DOCUMENT_JS, INDEX_JS, PAGE_CSS } from './html-assets.js';
import { REPORT_SCHEMA } from './schema.js';

/*
 * HTML report pages. Every page is built as a hast tree (hastscript) and serialised once (hast-util-to-html), so report
 * text only ever becomes text nodes or attribute values, escaped by the serialiser; the only inline code is the fixed
 * style sheet and scripts of html-assets.ts, allowed by their hashes in a strict Content Security Policy. Pages load
 * nothing (no fonts, images or scripts from anywhere) and work from a file:// URL.
 */

/** Options of {@link renderDocumentHtml}. */
export interface DocumentHtmlOptions {
  /** Chinese and English labels of every id (the ruleset's taxonomy, e.g. `analyzer.labels`); ids are shown without. */
  labels?: LabelTable;
  /** The decoded source text the report's offsets point into; when given, the text between passages is shown as is
   * (line breaks as paragraph breaks), otherwise every gap between two passages is a paragraph break. Ignored unless
   * every passage's text stands at its offsets in it. */
  text?: string;
  /** Link back to the batch index (relative URL), e.g. `../index.html`; no link when absent. */
  indexHref?: string;
}

/** What the index needs of one analysed document (a whole Report will do). */
export interface IndexDocument {
  source: { path: string | null };
  summary: Pick<ReportSummary, 'passages' | 'functions' | 'categories' | 'subcategories' | 'rootCauses'>;
}

/** One row of the batch index: an analysed document and the relative URL of its page, or an input that failed. */
export type HtmlIndexEntry = { href: string; report: IndexDocument } | { error: ErrorEntry };

/** Options of {@link renderIndexHtml}. */
export interface IndexHtmlOptions {
  labels?: LabelTable;
  /** Most documents shown in the problems-per-document chart (the table always lists all). Default 40. */
  chartLimit?: number;
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const CSP_HASHES = { css: sha256(PAGE_CSS), document: sha256(DOCUMENT_JS), index: sha256(INDEX_JS) };

/**
 * The page's Content Security Policy: nothing may be fetched or framed, no form submitted, no plugin run; the only
 * style and script are the page's own inline ones, named by hash (no 'unsafe-inline', so injected markup, event
 * handler attributes and javascript: URLs cannot run).
 */
export function contentSecurityPolicy(script: 'document' | 'index'): string {
  return [
    "default-src 'none'",
    `style-src ${CSP_HASHES.css}`,
    `script-src ${CSP_HASHES[script]}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function label(labels: LabelTable | undefined, id: string): { zh: string; en: string } {
  return labels?.[id] ?? { zh: id, en: id };
}
const both = (labels: LabelTable | undefined, id: string): string => {
  const l = label(labels, id);
  return l.zh === l.en ? l.zh : `${l.zh} ${l.en}`;
};
const round = (n: number): number => Math.round(n * 100) / 100;

function page(title: string, script: 'document' | 'index', bodyProps: Record<string, string>, content: ElementContent[]): string {
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'zh-CN' }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { httpEquiv: 'Content-Security-Policy', content: contentSecurityPolicy(script) }),
          h('meta', { name: 'referrer', content: 'no-referrer' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('meta', { name: 'generator', content: 'xunshi' }),
          h('title', title),
          h('style', PAGE_CSS),
        ]),
        h('body', bodyProps, [...content, h('script', script === 'document' ? DOCUMENT_JS : INDEX_JS)]),
      ]),
    ],
  };
  // quoteSmart + allowDangerousCharacters: a JSON attribute is single-quoted and its `"` left as is (a third of the
  // size of `&#x22;`). The "dangerous" characters are ` and " in the other quote style, which only IE ever mis-parsed;
  // `&`, `<` in text and the attribute's own quote are still always escaped.
  return toHtml(tree, { quoteSmart: true, allowDangerousCharacters: true }) + '\n';
}

/* ---------------------------------------------------------------- document page */

interface PassageEvidence {
  kind: 'f' | 'c' | 'r';
  rule: string;
  text: string;
  start: number;
  end: number;
}

/** The passage's evidence in one list: function evidence, then each category's, then each root cause's. */
function passageEvidence(p: Passage): PassageEvidence[] {
  return [
    ...p.functionEvidence.map((e) => ({ kind: 'f' as const, rule: e.rule, text: e.text, start: e.start, end: e.end })),
    ...p.categories.flatMap((c) => c.evidence.map((e) => ({ kind: 'c' as const, rule: e.rule, text: e.text, start: e.start, end: e.end }))),
    ...p.rootCauses.flatMap((r) => r.evidence.map((e) => ({ kind: 'r' as const, rule: e.rule, text: e.text, start: e.start, end: e.end }))),
  ];
}

/**
 * A `<span>` built directly as a hast node, for the per-passage hot path of big documents (hastscript's property
 * lookup costs more than the rest of the page): `properties` must already use hast names (className, dataS, tabIndex).
 */
function span(properties: Properties, children: ElementContent[]): Element {
  return { type: 'element', tagName: 'span', properties, children };
}

/** True when the evidence is a non-empty range within the passage (and so is marked in its text). */
const isInside = (p: Passage, e: PassageEvidence): boolean => e.start >= p.start && e.end <= p.end && e.end > e.start;

/**
 * The passage's text split at every boundary of its evidence: unmarked stretches stay plain text nodes, marked ones
 * are one span each with their document offset (`data-s`; the end is that plus the text's length) and the indices of the evidence that covers them
 * (`data-ev`). So a passage costs a handful of nodes, never one per character.
 */
function passageSegments(p: Passage, evidence: readonly PassageEvidence[]): ElementContent[] {
  const inside = evidence.map((e, i) => ({ ...e, i })).filter((e) => isInside(p, e));
  if (!inside.length) return [{ type: 'text', value: p.text }];
  const cuts = [...new Set([p.start, p.end, ...inside.flatMap((e) => [e.start, e.end])])].sort((a, b) => a - b);
  // A sweep over the cuts: the evidence that has started and not yet ended covers the stretch. Every start and end is a
  // cut, so `start <= a && end > a` is the same as covering [a, b); filtering all evidence per cut was quadratic in a
  // long unit (35k spans in a 200k-character line took minutes).
  const byStart = [...inside].sort((x, y) => x.start - y.start || x.i - y.i);
  let next = 0;
  let active: typeof inside = [];
  const out: ElementContent[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k]!;
    const b = cuts[k + 1]!;
    const text = p.text.slice(a - p.start, b - p.start);
    while (next < byStart.length && byStart[next]!.start <= a) active.push(byStart[next++]!);
    active = active.filter((e) => e.end > a);
    const over = active.length > 1 ? [...active].sort((x, y) => x.i - y.i) : active;
    if (!over.length) {
      out.push({ type: 'text', value: text });
      continue;
    }
    const strong = over.some((e) => e.kind !== 'f');
    out.push(span({ className: [strong ? 'ev' : 'evf'], dataS: String(a), dataEv: over.map((e) => e.i).join(' ') }, [{ type: 'text', value: text }]));
  }
  return out;
}

const fmtNumber = (n: number): string => (Number.isInteger(n) ? String(n) : String(round(n)));
function fmtYuan(n: number): string {
  if (Math.abs(n) >= 1e8) return `${fmtNumber(n / 1e8)}亿元`;
  if (Math.abs(n) >= 1e4) return `${fmtNumber(n / 1e4)}万元`;
  return `${fmtNumber(n)}元`;
}
const COMPARATORS: Record<string, string> = { lt: '<', le: '≤', eq: '=', ge: '≥', gt: '>' };
const FACT_KINDS: Record<Fact['kind'], string> = { amount: '金额', count: '数量', ratio: '比例', period: '时间', unitType: '单位', catchphrase: '提法' };

/**
 * A fact as a chip's words: its kind in Chinese and its normalised value (a unit type by its Chinese label when `labels`
 * has it, else by its id).
 */
export function describeFactChip(f: Fact, labels?: LabelTable): string {
  let value: string;
  switch (f.kind) {
    case 'amount':
      value = f.value !== undefined ? fmtYuan(f.value) : `${f.min !== undefined ? fmtYuan(f.min) : ''}–${f.max !== undefined ? fmtYuan(f.max) : ''}`;
      if (f.approx) value = `约${value}`;
      break;
    case 'count':
      value = `${f.approx ? '约' : ''}${fmtNumber(f.value)}${f.measure}${f.counted ?? ''}`;
      break;
    case 'ratio':
      // A range (20%-30%, 三至五成) shows both ends; any other ratio its value and comparator.
      value =
        f.min !== undefined && f.max !== undefined && f.min !== f.max
          ? `${fmtNumber(f.min * 100)}–${fmtNumber(f.max * 100)}%`
          : `${f.comparator && f.comparator !== 'eq' ? COMPARATORS[f.comparator] : ''}${fmtNumber(f.value * 100)}%`;
      value = `${f.approx ? '约' : ''}${value}${f.change === 'up' ? '↑' : f.change === 'down' ? '↓' : ''}`;
      break;
    case 'period': {
      const range = f.from !== undefined || f.to !== undefined ? (f.from === f.to ? f.from! : `${f.from ?? '…'}—${f.to ?? '…'}`) : '';
      const dur = f.duration ? `${f.duration.value}${{ year: '年', month: '个月', day: '天', workday: '个工作日' }[f.duration.unit]}` : '';
      value = [range, dur].filter(Boolean).join(' · ') || f.text;
      break;
    }
    case 'unitType':
      value = labels?.[unitTypeLabelKey(f.type)]?.zh ?? f.type;
      break;
    case 'catchphrase':
      value = `“${f.phrase}”`;
      break;
  }
  return `${FACT_KINDS[f.kind]} ${value}`;
}

/** Compact per-passage data for the hover/focus explanation (JSON in a `data-x` attribute, escaped as any attribute). */
function passageData(p: Passage, evidence: readonly PassageEvidence[], ruleIndex: (rule: string) => number): string | undefined {
  if (!evidence.length && !p.categories.length && !p.rootCauses.length) {
    return FUNCTION_IDS.every((f) => !p.functionScores[f]) ? undefined : JSON.stringify({ fs: FUNCTION_IDS.map((f) => round(p.functionScores[f] ?? 0)) });
  }
  return JSON.stringify({
    fs: FUNCTION_IDS.map((f) => round(p.functionScores[f] ?? 0)),
    nf: p.functionEvidence.length,
    c: p.categories.map((c) => [c.id, c.subcategory, round(c.score), c.evidence.length]),
    r: p.rootCauses.map((r) => [r.id, round(r.score), r.evidence.length]),
    // Rules by their index in the page's rule list (`data-rules` of #doc). Evidence inside the passage is shown by its
    // marked segments, where the script reads its text back from; other evidence (a heading's) carries its text.
    e: evidence.map((e) => (isInside(p, e) ? ruleIndex(e.rule) : [ruleIndex(e.rule), e.text])),
  });
}

/** The source text when it is the one the report was made from (same length, every passage's text in its place). */
function sourceTextOf(report: Report, text: string | undefined): string | undefined {
  if (text === undefined || text.length !== report.source.length) return undefined;
  return report.passages.every((p) => text.slice(p.start, p.end) === p.text) ? text : undefined;
}

/** Heading entries of the outline, found from the passages' heading paths. */
interface OutlineEntry {
  text: string;
  level: number;
  /** Index of the passage the entry links to (the heading itself when it is a passage). */
  target: number;
  counts: Record<string, number>;
}

function buildOutline(passages: readonly Passage[]): { entries: OutlineEntry[]; headings: Set<number> } {
  const byKey = new Map<string, OutlineEntry>();
  const entries: OutlineEntry[] = [];
  const headings = new Set<number>();
  passages.forEach((p, i) => {
    let key = '';
    p.headingPath.forEach((text, depth) => {
      key += `\u0000${text}`;
      let entry = byKey.get(key);
      if (!entry) {
        // A heading is the unit just before the first unit under it, when that unit's text is the heading's.
        const prev = passages[i - 1];
        const isHeading = depth === p.headingPath.length - 1 && prev !== undefined && prev.text.includes(text.trim());
        if (isHeading) headings.add(i - 1);
        entry = { text, level: depth + 1, target: isHeading ? i - 1 : i, counts: {} };
        byKey.set(key, entry);
        entries.push(entry);
      }
      for (const c of p.categories) entry.counts[c.id] = (entry.counts[c.id] ?? 0) + 1;
    });
  });
  return { entries, headings };
}

const passageDomId = (p: Passage): string => `p-${p.id}`;

function countBadges(counts: Record<string, number>, ids: readonly string[], prefix: 'c' | 'r', labels: LabelTable | undefined): Element | undefined {
  const shown = ids.filter((id) => counts[id]);
  if (!shown.length) return undefined;
  return h(
    'span',
    { className: ['counts'] },
    shown.map((id) => h('span', { className: ['n', `${prefix}-${id}`], title: both(labels, id), ariaLabel: `${both(labels, id)}: ${counts[id]}` }, String(counts[id]))),
  );
}

function selectFilter(id: string, caption: string, options: { value: string; text: string }[]): Element {
  return h('label', { htmlFor: id }, [caption, h('select', { id }, options.map((o) => h('option', { value: o.value }, o.text)))]);
}

/** A usage error for a renderer's argument of the wrong type (a library caller's mistake, never a raw TypeError). */
function checkArgument(ok: boolean, what: string, got: unknown): void {
  if (!ok) throw new XunshiError(ERROR_CODES.USAGE, `${what}, got ${got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got}`);
}
const isOptions = (x: unknown): boolean => x === undefined || (typeof x === 'object' && x !== null && !Array.isArray(x));

/** What the renderer does not rely on: other properties, patterns, bounds and constants (a score over 1 renders). */
const LOOSE = new Set(['$id', 'additionalProperties', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'const']);
/** The schema with what the renderer does not rely on left out (see LOOSE): required fields, types and label ids stay. */
function shapeOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(shapeOf);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k]) => !LOOSE.has(k)).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([n, x]) => [n, shapeOf(x)])) : shapeOf(v)]));
}

let validateReport: ValidateFunction | undefined;
/**
 * A report handed to the renderer is checked first against the published schema's shape (ajv, compiled on the first
 * call; required fields, types and label ids, not its ban on other properties, patterns or bounds, so that a report a
 * caller built or extended still renders): a malformed one (no `source`, a passage that is null) failed deep inside
 * with a raw TypeError. The message names the first place that is wrong, as a JSON pointer.
 */
function checkReport(report: unknown): void {
  if (!validateReport) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    validateReport = new Ajv({ allErrors: false, strict: false }).compile(shapeOf(REPORT_SCHEMA) as object);
  }
  if (validateReport(report)) return;
  const e = validateReport.errors?.[0];
  const where = e ? `${e.instancePath || '(the report)'} ${e.message ?? 'is wrong'}` : 'it does not match the schema';
  throw new XunshiError(ERROR_CODES.USAGE, `renderDocumentHtml expects a Report as analyze() returns it (schemaVersion 1): ${where}`);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCounts = (x: unknown): boolean => isRecord(x) && Object.values(x).every((v) => typeof v === 'number');

/** An index entry is `{ href, report }` (a Report, or its `source.path` and `summary`) or `{ error }`: checked each. */
function checkIndexEntry(e: unknown, i: number): void {
  const bad = (what: string): never => {
    throw new XunshiError(ERROR_CODES.USAGE, `renderIndexHtml: entry ${i} ${what}`);
  };
  if (!isRecord(e)) bad(`must be an object ({ href, report } or { error }), got ${e === null ? 'null' : Array.isArray(e) ? 'an array' : typeof e}`);
  const entry = e as Record<string, unknown>;
  if ('error' in entry) {
    const error = entry.error;
    if (!isRecord(error) || typeof error.message !== 'string' || !(typeof error.path === 'string' || error.path === null)) bad('has an error that is not an error entry ({ path, code, message })');
    return;
  }
  if (typeof entry.href !== 'string') bad('has neither an error nor an href (a string): { href, report } or { error }');
  const report = entry.report;
  if (!isRecord(report) || !isRecord(report.source) || !(typeof report.source.path === 'string' || report.source.path === null)) bad('has no report with a source.path (a string, or null for standard input)');
  const summary = (report as Record<string, unknown>).summary;
  if (!isRecord(summary) || typeof summary.passages !== 'number' || !['functions', 'categories', 'subcategories', 'rootCauses'].every((k) => isCounts(summary[k]))) {
    bad("has a report without a summary (passages, and counts of functions, categories, subcategories and root causes as analyze() gives them)");
  }
}

/**
 * Render one report as a self-contained HTML page: the full text with each passage shaded by its function and
 * underlined in its category's colour, evidence highlighted, facts as chips, an outline of the headings with counts per
 * category, filters by function, category, subcategory and root cause, and on hover or focus an explanation of each
 * passage's labels, scores and rules (in Chinese: 「命中规则 类别·子类：“证据”」).
 */
export function renderDocumentHtml(report: Report, options: DocumentHtmlOptions = {}): string {
  checkArgument(typeof report === 'object' && report !== null && Array.isArray((report as Partial<Report>).passages), 'renderDocumentHtml expects a report (an object with passages)', report);
  checkArgument(isOptions(options), 'renderDocumentHtml expects its options as an object', options);
  checkReport(report);
  return renderOwnDocumentHtml(report, options);
}

/**
 * {@link renderDocumentHtml} of a report the analyzer has just made, without the check of its shape (the schema's
 * compilation costs about 0.2 s, once in each worker thread of an HTML batch). Not part of the library's API.
 */
export function renderOwnDocumentHtml(report: Report, options: DocumentHtmlOptions = {}): string {
  const { labels } = options;
  const text = sourceTextOf(report, options.text);
  const passages = report.passages;
  const { entries, headings } = buildOutline(passages);
  const title = report.source.path ?? '标准输入 standard input';

  // Paragraphs: a gap with a line break between two passages starts a new one (without the text, any gap does); what
  // follows the gap's last line break (indentation, a Markdown marker) stays in front of the next passage.
  const paragraphs: Element[] = [];
  let current: ElementContent[] = [];
  const flush = (): void => {
    if (current.length) paragraphs.push(h('div', { className: ['para'] }, current));
    current = [];
  };
  const rules = new Map<string, number>();
  const ruleIndex = (rule: string): number => {
    let k = rules.get(rule);
    if (k === undefined) rules.set(rule, (k = rules.size));
    return k;
  };
  // Text between passages (or after the last) is shown whole: what stands before its first line break ends the current
  // paragraph, each line after it that holds more than white space (a Markdown code fence, HTML block or thematic break
  // the analysis leaves out) is a paragraph of its own, and what follows the last line break starts the next one.
  const showGap = (gap: string): void => {
    const lines = gap.split(/\r\n|\r|\n/);
    lines.forEach((line, k) => {
      if (k > 0) flush();
      if (line && (k === 0 || k === lines.length - 1 || /\S/.test(line))) current.push({ type: 'text', value: line });
    });
  };
  // The passages of a table's rows (`passage.cell`) are shown as a table: each in its row and column, the header row's
  // cells as header cells; the tabs and line breaks between cells are the table's own lines.
  let table: { id: number; rows: Map<number, Map<number, { header: boolean; content: ElementContent[] }>> } | undefined;
  const closeTable = (): void => {
    if (!table) return;
    const rows = [...table.rows.entries()].sort((a, b) => a[0] - b[0]);
    const width = Math.max(...rows.flatMap(([, cells]) => [...cells.keys()])) + 1;
    paragraphs.push(
      h('div', { className: ['para', 'rows'] }, [
        h(
          'table',
          { className: ['cells'] },
          rows.map(([, cells]) =>
            h(
              'tr',
              Array.from({ length: width }, (_, column) => {
                const cell = cells.get(column);
                return h(cell?.header ? 'th' : 'td', cell?.content ?? []);
              }),
            ),
          ),
        ),
      ]),
    );
    table = undefined;
  };
  let at = 0;
  passages.forEach((p, i) => {
    const gap = p.start > at ? (text ? text.slice(at, p.start) : '\n') : '';
    at = Math.max(at, p.end);
    let into = current;
    if (p.cell) {
      if (table?.id !== p.cell.table) {
        closeTable();
        if (gap) showGap(gap);
        flush();
        table = { id: p.cell.table, rows: new Map() };
      }
      let row = table.rows.get(p.cell.row);
      if (!row) table.rows.set(p.cell.row, (row = new Map()));
      let cell = row.get(p.cell.column);
      if (!cell) row.set(p.cell.column, (cell = { header: p.cell.isHeader === true, content: [] }));
      // What stands between two passages of one cell (a space between its sentences) stays in the cell.
      else if (gap && !/[\t\r\n]/.test(gap)) cell.content.push({ type: 'text', value: gap });
      into = cell.content;
    } else {
      closeTable();
      if (gap) showGap(gap);
      into = current;
    }
    const evidence = passageEvidence(p);
    const cats = p.categories.map((c) => c.id);
    const classes = ['p', `fn-${p.function}`];
    if (cats[0]) classes.push(`c1-${cats[0]}`);
    if (cats[1]) classes.push('c2', `c2-${cats[1]}`);
    if (headings.has(i)) classes.push('h');
    const labelled = p.function !== 'context' || p.categories.length > 0 || p.rootCauses.length > 0;
    const props: Properties = {
      id: passageDomId(p),
      className: classes,
      dataS: String(p.start),
      dataE: String(p.end),
      dataFn: p.function,
      dataCat: cats.join(' ') || undefined,
      dataSub: p.categories.flatMap((c) => (c.subcategory ? [c.subcategory] : [])).join(' ') || undefined,
      dataRc: p.rootCauses.map((r) => r.id).join(' ') || undefined,
    };
    const data = passageData(p, evidence, ruleIndex);
    if (data !== undefined) props.dataX = data;
    for (const k of ['dataCat', 'dataSub', 'dataRc']) if (props[k] === undefined) delete props[k];
    if (labelled) props.tabIndex = 0;
    const chips = p.facts.map((f) => span({ className: ['chip', `chip-${f.kind}`], title: f.text }, [{ type: 'text', value: describeFactChip(f, options.labels) }]));
    into.push(span(props, [...passageSegments(p, evidence), ...chips]));
  });
  closeTable();
  if (text && at < text.length) showGap(text.slice(at));
  flush();

  const s0 = report.summary;
  const legend = h('ul', { className: ['legend'], ariaLabel: '图例 Legend' }, [
    ...FUNCTION_IDS.map((f) => h('li', [h('span', { className: ['sw', `sw-fn-${f}`], ariaHidden: 'true' }), `${both(labels, f)} ${s0.functions[f] ?? 0}`])),
    ...CATEGORY_IDS.map((c) => h('li', [h('span', { className: ['sw', `sw-${c}`], ariaHidden: 'true' }), `${both(labels, c)} ${s0.categories[c] ?? 0}`])),
    h('li', [h('span', { className: ['sw', 'sw-ev'], ariaHidden: 'true' }), '证据 Evidence']),
  ]);
  const header = h('header', { className: ['top'] }, [
    h('h1', title),
    h('p', { className: ['meta'] }, [
      `${s0.passages} 段 passages · ${report.source.length} 字符 characters · ${report.source.format} · ${report.source.encoding} · ${report.source.script} · xunshi ${report.tool.version} · ${report.tool.rulesetHash.slice(0, 19)}`,
      ...(options.indexHref !== undefined ? [' · ', h('a', { href: options.indexHref }, '返回索引 Back to index')] : []),
    ]),
    ...(report.diagnostics.length ? [h('ul', { className: ['meta'] }, report.diagnostics.map((d) => h('li', `${d.code}: ${d.message}`)))] : []),
    legend,
  ]);

  const outline = h('nav', { className: ['outline'], ariaLabel: '提纲 Outline' }, [
    h('h2', '提纲 Outline'),
    entries.length
      ? h(
          'ol',
          entries.map((e) =>
            h('li', { className: [`lv${Math.min(6, e.level)}`] }, [
              h('a', { href: `#${passageDomId(passages[e.target]!)}` }, e.text),
              countBadges(e.counts, CATEGORY_IDS, 'c', labels) ?? '',
            ]),
          ),
        )
      : h('p', { className: ['meta'] }, '无标题 No headings'),
  ]);

  const subIds = [...new Set([...Object.keys(labels ?? {}).filter((k) => k.includes('.')), ...Object.keys(s0.subcategories)])].filter((k) =>
    CATEGORY_IDS.some((c) => k.startsWith(`${c}.`)),
  );
  const subOrder = (id: string): number => CATEGORY_IDS.findIndex((c) => id.startsWith(`${c}.`));
  subIds.sort((a, b) => subOrder(a) - subOrder(b));
  const all = { value: '', text: '全部 All' };
  const none = { value: '-', text: '无 None' };
  const filters = h('form', { className: ['filters'], id: 'filters', role: 'search', ariaLabel: '筛选 Filters' }, [
    selectFilter('f-fn', '功能 Function', [all, ...FUNCTION_IDS.map((f) => ({ value: f, text: `${both(labels, f)} (${s0.functions[f] ?? 0})` }))]),
    selectFilter('f-cat', '类别 Category', [all, ...CATEGORY_IDS.map((c) => ({ value: c, text: `${both(labels, c)} (${s0.categories[c] ?? 0})` })), none]),
    selectFilter('f-sub', '子类 Subcategory', [all, ...subIds.map((id) => ({ value: id, text: `${both(labels, id)} (${s0.subcategories[id] ?? 0})` }))]),
    selectFilter('f-rc', '根源 Root cause', [all, ...ROOT_CAUSE_IDS.map((r) => ({ value: r, text: `${both(labels, r)} (${s0.rootCauses[r] ?? 0})` })), none]),
    selectFilter('f-mode', '其余 The rest', [
      { value: 'dim', text: '淡化 Dim' },
      { value: 'hide', text: '隐藏 Hide' },
    ]),
    h('button', { type: 'button', id: 'f-reset' }, '重置 Reset'),
    h('output', { id: 'count', htmlFor: 'f-fn f-cat f-sub f-rc', ariaLive: 'polite' }, `${passages.length} / ${passages.length} 段 passages`),
    h('span', { className: ['kbd'] }, 'Tab / j k 逐段 step through passages · Esc 关闭 close'),
  ]);

  const body = [
    h('a', { className: ['skip'], href: '#doc' }, '跳到正文 Skip to text'),
    header,
    h('div', { className: ['layout'] }, [
      outline,
      h('main', [filters, h('div', { id: 'doc', className: ['doc'], lang: 'zh', tabIndex: -1, dataRules: JSON.stringify([...rules.keys()]) }, paragraphs)]),
    ]),
    h('div', { id: 'tip', role: 'tooltip', hidden: true }),
  ];
  return page(`xunshi · ${title}`, 'document', { dataLabels: JSON.stringify(labels ?? {}) }, body);
}

/* ---------------------------------------------------------------- batch index */

interface Bar {
  label: string;
  value: number;
  cls: string;
  href?: string;
}

const BAR_AREA = 320;

/**
 * A horizontal bar chart as inline SVG: one row per bar, bar width proportional to its value (the largest value fills
 * the bar area), with the value and share written beside it. Each bar carries `data-value` for checking.
 */
/** Rough width in SVG units of a 12px label: CJK and full-width characters about 12, others about 6.6. */
const labelWidth = (s: string): number => [...s].reduce((w, ch) => w + (ch >= '\u2e80' ? 12 : 6.6), 0);

/** The label, shortened at its start (a file name says more than the folders above it) to fit `room` units. */
function fitLabel(label: string, room: number): string {
  if (labelWidth(label) <= room) return label;
  const chars = [...label];
  while (chars.length > 1 && labelWidth(`…${chars.join('')}`) > room) chars.shift();
  return `…${chars.join('')}`;
}

function barChart(id: string, caption: string, bars: readonly Bar[], total: number, labelW = 220, barArea = BAR_AREA): Element {
  const rowH = 24;
  const width = labelW + barArea + 100;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const height = Math.max(1, bars.length) * rowH + 8;
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = max ? round((barArea * b.value) / max) : 0;
    const share = total ? `${((100 * b.value) / total).toFixed(1)}%` : '';
    const name = fitLabel(b.label, labelW - 10);
    const bar = s('rect', { className: ['bar', b.cls], x: labelW, y: y + 3, width: w, height: rowH - 8, rx: 2, dataValue: String(b.value) }, [s('title', `${b.label}: ${b.value}${share ? ` (${share})` : ''}`)]);
    return s('g', { className: ['row'] }, [
      s('text', { x: labelW - 6, y: y + rowH / 2 + 4, textAnchor: 'end' }, name),
      s('rect', { className: ['track'], x: labelW, y: y + 3, width: barArea, height: rowH - 8, rx: 2 }),
      b.href !== undefined ? s('a', { href: b.href }, [bar]) : bar,
      s('text', { x: labelW + barArea + 6, y: y + rowH / 2 + 4 }, `${b.value}${share ? ` · ${share}` : ''}`),
    ]);
  });
  return h('figure', [
    h('figcaption', { id: `${id}-cap` }, caption),
    s('svg', { id, className: ['chart'], viewBox: `0 0 ${width} ${height}`, role: 'img', ariaLabelledBy: `${id}-cap`, xmlns: 'http://www.w3.org/2000/svg' }, rows),
  ]);
}

/** A page-relative link to a document page: `./` then each path segment percent-encoded (never a scheme). */
export function pageHref(relativePath: string): string {
  return `./${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Render the batch index: totals, inline SVG charts (category and root-cause shares, problem passages per document),
 * a sortable table of every document with its counts per function, category and root cause and a link to its page,
 * and the inputs that failed with their messages.
 */
export function renderIndexHtml(entries: readonly HtmlIndexEntry[], options: IndexHtmlOptions = {}): string {
  checkArgument(Array.isArray(entries), 'renderIndexHtml expects an array of entries', entries);
  checkArgument(isOptions(options), 'renderIndexHtml expects its options as an object', options);
  entries.forEach(checkIndexEntry);
  const { labels } = options;
  const docs = entries.flatMap((e, i) => ('report' in e ? [{ ...e, i }] : []));
  const errors = entries.flatMap((e) => ('error' in e ? [e.error] : []));
  const total = { passages: 0, problems: 0, categories: {} as Record<string, number>, rootCauses: {} as Record<string, number> };
  for (const d of docs) {
    const sm = d.report.summary;
    total.passages += sm.passages;
    total.problems += sm.functions.problem ?? 0;
    for (const c of CATEGORY_IDS) total.categories[c] = (total.categories[c] ?? 0) + (sm.categories[c] ?? 0);
    for (const r of ROOT_CAUSE_IDS) total.rootCauses[r] = (total.rootCauses[r] ?? 0) + (sm.rootCauses[r] ?? 0);
  }
  const catSum = CATEGORY_IDS.reduce((n, c) => n + (total.categories[c] ?? 0), 0);
  const rcSum = ROOT_CAUSE_IDS.reduce((n, r) => n + (total.rootCauses[r] ?? 0), 0);
  const name = (d: IndexDocument): string => d.source.path ?? '标准输入 standard input';

  const limit = options.chartLimit ?? 40;
  const byProblems = [...docs].sort((a, b) => (b.report.summary.functions.problem ?? 0) - (a.report.summary.functions.problem ?? 0) || a.i - b.i).slice(0, limit);
  const charts = h('section', { className: ['section'], ariaLabelledBy: 'charts-h' }, [
    h('h2', { id: 'charts-h' }, '图表 Charts'),
    h('div', { className: ['charts'] }, [
      barChart('chart-categories', '类别分布 Category shares (段 passages)', CATEGORY_IDS.map((c) => ({ label: both(labels, c), value: total.categories[c] ?? 0, cls: `sw-${c}` })), catSum, 330, 220),
      barChart('chart-root-causes', '根源分布 Root-cause shares (段 passages)', ROOT_CAUSE_IDS.map((r) => ({ label: both(labels, r), value: total.rootCauses[r] ?? 0, cls: `sw-${r}` })), rcSum, 330, 220),
      barChart(
        'chart-problems',
        `各文档问题段数 Problem passages per document${docs.length > limit ? ` (前 top ${limit} / ${docs.length})` : ''}`,
        byProblems.map((d) => ({ label: name(d.report), value: d.report.summary.functions.problem ?? 0, cls: 'bar-problem', href: d.href })),
        total.problems,
      ),
    ]),
  ]);

  const numTh = (id: string, text: string, title?: string): Element => h('th', { className: ['num'], scope: 'col', ...(title ? { title } : {}), dataKey: id }, h('button', { type: 'button' }, text));
  const table = h('section', { className: ['section'], ariaLabelledBy: 'docs-h' }, [
    h('h2', { id: 'docs-h' }, `文档 Documents (${docs.length})`),
    h('p', { className: ['meta'] }, '点击列标题排序 Click a column heading to sort.'),
    h('div', { className: ['scroll'] }, [
      h('table', { id: 'docs' }, [
        h('thead', [
          h('tr', [
            h('th', { scope: 'col', dataKey: 'path' }, h('button', { type: 'button' }, '文档 Document')),
            numTh('passages', '段落 Passages'),
            numTh('problem', `${label(labels, 'problem').zh} ${label(labels, 'problem').en}`),
            ...CATEGORY_IDS.map((c) => numTh(c, label(labels, c).zh, both(labels, c))),
            ...ROOT_CAUSE_IDS.map((r) => numTh(r, label(labels, r).zh, both(labels, r))),
          ]),
        ]),
        h(
          'tbody',
          docs.map((d) => {
            const sm = d.report.summary;
            const num = (n: number | undefined): Element => h('td', { className: ['num'], dataV: String(n ?? 0) }, String(n ?? 0));
            return h('tr', { dataI: String(d.i) }, [
              h('td', { className: ['path'], dataV: name(d.report) }, h('a', { href: d.href }, name(d.report))),
              num(sm.passages),
              num(sm.functions.problem),
              ...CATEGORY_IDS.map((c) => num(sm.categories[c])),
              ...ROOT_CAUSE_IDS.map((r) => num(sm.rootCauses[r])),
            ]);
          }),
        ),
      ]),
    ]),
  ]);

  const errorSection = errors.length
    ? h('section', { className: ['section', 'errors'], ariaLabelledBy: 'errors-h' }, [
        h('h2', { id: 'errors-h' }, `未能分析 Inputs that failed (${errors.length})`),
        h('table', { id: 'errors' }, [
          h('thead', h('tr', [h('th', { scope: 'col' }, '输入 Input'), h('th', { scope: 'col' }, '代码 Code'), h('th', { scope: 'col' }, '原因 Message')])),
          h(
            'tbody',
            errors.map((e) =>
              h('tr', [
                h('td', { className: ['path'] }, `${e.path}${e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : ''}`),
                h('td', e.code),
                h('td', e.message),
              ]),
            ),
          ),
        ]),
      ])
    : undefined;

  const header = h('header', { className: ['top'] }, [
    h('h1', 'xunshi 分析结果 Analysis results'),
    h('p', { className: ['meta'], id: 'totals' }, `${docs.length} 份文档 documents · ${errors.length} 份失败 failed · ${total.passages} 段 passages · ${total.problems} 段问题 problem passages`),
  ]);
  return page('xunshi · 分析结果 Analysis results', 'index', {}, [header, h('div', { className: ['wrap'] }, [charts, table, ...(errorSection ? [errorSection] : [])])]);
}
