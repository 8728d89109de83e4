import type { Heading } from '@xunshi/types';
import { detectEnumeration, unifyRadicals } from './enumeration.js';
import { isTerminator, isUnitWhitespace, splitLines } from './split-units.js';
import type { LineSpan } from './split-units.js';

/** A heading found in plain text, with its rank (lower = higher in the outline) before levels are assigned. */
export interface RankedHeading extends Heading {
  /** 0-based line number of the heading. */
  line: number;
  /** Outline rank: title lines 0–20, then 第…篇/章/节, 一、, （一）, 1., （1）. */
  rank: number;
}

const RANK_TITLE_LEAF = 20;
const RANK_TITLE_STEP = 10;
const RANK_DOC_PART = 10;
const NUMBERING_RANK = {
  part: 30,
  chapter: 40,
  section: 50,
  'cn-dun': 60,
  'cn-paren': 70,
  'arabic-dot': 80,
  'arabic-paren': 90,
} as const;

// Generous for numbered titles: official sub-headings such as 1.关于“…”的问题 run to ~50 chars.
const MAX_NUMBERED_TITLE = 60;
const MAX_TITLE_LINE = 30;
const CN_NUM = '[零〇一二两三四五六七八九十百0-9０-９]{1,5}';
const CHAPTER_RE = new RegExp(`^第${CN_NUM}(部分|[篇编章节])`);
// Words that name a top-level part of an article whatever comes before or after them.
const DOC_PART_RE = /^(引言|前言|导言|导语|序言|绪论|结语|结束语|结论|总结|小结|摘要|附录|附件|后记|参考文献|結語|結束語|導言|導語|緒論|結論|總結|附錄|後記|參考文獻)(?:$|[:：\s])/;
/**
 * Whether a line opens a part of a document by its first words: a chapter or section (第三节, 第二章, 第一部分) or a
 * named part (引言, 结语, 附件：). The PDF layout ends a paragraph before such a line when the line above ends a sentence.
 */
export function opensPart(line: string): boolean {
  return CHAPTER_RE.test(line) || DOC_PART_RE.test(line);
}
/** The title of a table of contents (目录, 目 录, 目次, Contents): left out with the table it heads, in every reader. */
export const CONTENTS_TITLE = /^(?:目[\s\u3000]*录|目[\s\u3000]*次|(?:table\s+of\s+)?contents)$/iu;
// Parts that open an article: the title line right before one is the article's own title.
const OPENING_PART_RE = /^(引言|前言|导言|导语|序言|绪论|摘要|導言|導語|緒論)(?:$|[:：\s])/;
// Past this a line without a terminator is still prose, not a (long) document title or byline.
const MAX_HEADER_LINE = 60;
const LABEL_RE =
  /(来源|來源|作者|时间|時間|日期|发布|發布|浏览|瀏覽|点击|點擊|编辑|編輯|责编|責編|记者|記者|通讯员|通訊員|原标题|原標題|审核|審核|字号|字號|阅读|閱讀|摄影|攝影)\s*[:：]/;
const DATE_RE = /[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}|[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日|[0-9]{1,2}:[0-9]{2}/;
const BRACKETED_RE = /^[（(【\[〔].*[）)】\]〕]$/;
const WIDE_GAP_RE = /[ \t\u3000\u00a0]{2,}/;
const FORM_MARK_RE = /[□☐☑√✓✔]/;
const TRAILING_OPEN_RE = /[：:，,、]$/;

interface LineInfo extends LineSpan {
  /** Trimmed content range. */
  cs: number;
  ce: number;
  content: string;
  numberingRank: number | undefined;
  /** Shape of a numbered title (short, no sentence inside). */
  numberedTitle: boolean;
  /** Shape of an unnumbered title line (short, no terminator, not metadata). */
  titleLine: boolean;
  metadata: boolean;
  /** A table row ({@link OutlineSpan.row}). */
  row: boolean;
}

/** Outline rank of a line's official numbering (第…章, 一、, （一）, 1., （1）), or undefined when it has none. */
export function numberingRankOf(content: string): number | undefined {
  content = unifyRadicals(content);
  const ch = CHAPTER_RE.exec(content);
  if (ch) {
    const kind = ch[1]!;
    return kind === '章' ? NUMBERING_RANK.chapter : kind === '节' ? NUMBERING_RANK.section : NUMBERING_RANK.part;
  }
  const e = detectEnumeration(content);
  if (!e || e.style === 'cn-shi' || e.style === 'cn-ordinal' || e.style === 'cn-sequence') return undefined;
  return NUMBERING_RANK[e.style];
}

function countTerminators(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (isTerminator(s[i]!)) n++;
  return n;
}

function countCjk(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x2e80 && c <= 0x2fdf)) n++;
  }
  return n;
}

function isMetadata(content: string): boolean {
  return (
    LABEL_RE.test(content) ||
    DATE_RE.test(content) ||
    BRACKETED_RE.test(content) ||
    WIDE_GAP_RE.test(content) ||
    FORM_MARK_RE.test(content)
  );
}

function describeLine(text: string, span: OutlineSpan): LineInfo {
  let cs = span.start;
  let ce = span.end;
  while (cs < ce && isUnitWhitespace(text[cs]!)) cs++;
  while (ce > cs && isUnitWhitespace(text[ce - 1]!)) ce--;
  // Long lines are never titles; looking at only their head keeps classification O(1) per line.
  const len = ce - cs;
  const content = len === 0 ? '' : text.slice(cs, Math.min(ce, cs + MAX_NUMBERED_TITLE + 1));
  const info: LineInfo = {
    start: span.start,
    end: span.end,
    line: span.line,
    cs,
    ce,
    content,
    numberingRank: undefined,
    numberedTitle: false,
    titleLine: false,
    metadata: false,
    row: span.row === true,
  };
  // Content the markup says is no heading: it only stands between headings and their next siblings.
  if (len === 0 || span.plain || span.row) return info;
  const rank = numberingRankOf(content);
  if (rank !== undefined) {
    info.numberingRank = rank;
    if (len <= MAX_NUMBERED_TITLE) {
      // One sentence at most: a terminator is allowed only as the very last character (not ；).
      const last = content[content.length - 1]!;
      const inner = countTerminators(content, 0, content.length - 1);
      const endsOk = !isTerminator(last) || (last !== '；' && last !== ';');
      info.numberedTitle = inner === 0 && endsOk && !TRAILING_OPEN_RE.test(content);
    }
    return info;
  }
  // A date inside a sentence is prose; metadata lines (来源:… 2023-05-04 08:46) have no terminator.
  if (len <= MAX_HEADER_LINE) info.metadata = countTerminators(content, 0, content.length) === 0 && isMetadata(content);
  if (len <= MAX_TITLE_LINE) {
    const cjk = countCjk(content);
    info.titleLine =
      !info.metadata && cjk >= 2 && countTerminators(content, 0, content.length) === 0 && !TRAILING_OPEN_RE.test(content);
  }
  return info;
}

/**
 * A line given to {@link findTextHeadings}; `plain` marks content that markup says is no heading (a Markdown list item
 * or quote): it is neither a heading nor a numbered line that closes sections, but it is content, so a numbered title
 * right before it is a heading. `row` marks a table row: plain as well, and body, so the header block of cover lines (a
 * document's title, dates, sources) has ended before it.
 */
export interface OutlineSpan extends LineSpan {
  plain?: boolean;
  row?: boolean;
}

/** A numbered line that is not a heading: it ends the sections of its earlier siblings (rank ≥ its own). */
export interface OutlineCloser {
  /** 0-based line number. */
  line: number;
  rank: number;
}

/** Outline of a plain-text document: headings in order, and the numbered body lines that close sections. */
export interface TextOutline {
  headings: RankedHeading[];
  closers: OutlineCloser[];
}

/**
 * Recover the outline of a plain-text document: official numbering (第…章, 一、, （一）, 1., （1）) on
 * short title-shaped lines, and short unnumbered title lines, leaving out the document title,
 * dates, sources and bylines; ranges are the trimmed lines (UTF-16 offsets).
 */
export function findTextHeadings(text: string, lines: OutlineSpan[] = splitLines(text)): TextOutline {
  const infos = lines.map((l) => describeLine(text, l));
  const nonBlank = infos.filter((l) => l.ce > l.cs);
  const isHeading = new Array<boolean>(nonBlank.length).fill(false);
  const ranks = new Array<number>(nonBlank.length).fill(0);

  // Numbered titles: a title must have content before its next sibling, otherwise it is a list item.
  for (let k = 0; k < nonBlank.length; k++) {
    const l = nonBlank[k]!;
    if (!l.numberedTitle || l.numberingRank === undefined) continue;
    const next = nonBlank[k + 1];
    if (!next) continue;
    if (next.numberingRank !== undefined && next.numberingRank <= l.numberingRank) continue;
    isHeading[k] = true;
    ranks[k] = l.numberingRank;
  }

  // The header block (document title, dates, sources, cover lines) runs up to the first line of body.
  // A table row is body too: a title line after a ledger's header row (作风建设方面 merged across it) is a section's.
  const isBody = (l: LineInfo): boolean =>
    l.row ||
    l.numberingRank !== undefined ||
    l.ce - l.cs > MAX_HEADER_LINE ||
    (!l.metadata && countTerminators(l.content, 0, l.content.length) > 0);
  let headerEnd = nonBlank.findIndex(isBody);
  if (headerEnd < 0) headerEnd = nonBlank.length;

  const titleCandidate = (k: number): boolean => {
    const l = nonBlank[k]!;
    if (!l.titleLine) return false;
    const next = nonBlank[k + 1];
    // A title announces something: a last line, or one followed only by a date/signature, does not.
    if (!next || next.metadata) return false;
    if (DOC_PART_RE.test(l.content)) return true;
    if (next.titleLine && OPENING_PART_RE.test(next.content)) return false;
    if (k === 0) return false;
    if (k < headerEnd) {
      // Cover lines follow each other directly; a section title in the header stands after a blank line.
      return l.line > 0 && infos[l.line - 1]!.ce === infos[l.line - 1]!.cs;
    }
    return true;
  };
  const isTitle = nonBlank.map((_, k) => titleCandidate(k));
  // Runs of consecutive title lines nest: the one right before the body is the leaf, each earlier one a level up.
  for (let k = nonBlank.length - 1; k >= 0; k--) {
    if (!isTitle[k]) continue;
    isHeading[k] = true;
    const nextIsTitle = k + 1 < nonBlank.length && isTitle[k + 1];
    if (nextIsTitle) {
      ranks[k] = Math.max(0, ranks[k + 1]! - RANK_TITLE_STEP);
    } else {
      ranks[k] = DOC_PART_RE.test(nonBlank[k]!.content) ? RANK_DOC_PART : RANK_TITLE_LEAF;
    }
    if (DOC_PART_RE.test(nonBlank[k]!.content)) ranks[k] = Math.min(ranks[k]!, RANK_DOC_PART);
  }

  const out: RankedHeading[] = [];
  const closers: OutlineCloser[] = [];
  const events: (RankedHeading | OutlineCloser)[] = [];
  for (let k = 0; k < nonBlank.length; k++) {
    const l = nonBlank[k]!;
    if (!isHeading[k]) {
      if (l.numberingRank !== undefined) {
        const closer = { line: l.line, rank: l.numberingRank };
        closers.push(closer);
        events.push(closer);
      }
      continue;
    }
    out.push({
      start: l.cs,
      end: l.ce,
      text: text.slice(l.cs, l.ce),
      level: 0,
      source: l.numberingRank !== undefined ? 'numbering' : 'title-line',
      line: l.line,
      rank: ranks[k]!,
    });
    events.push(out[out.length - 1]!);
  }
  assignLevels(events);
  return { headings: out, closers };
}

/** Turn ranks into 1-based levels: a heading's level is its depth in the outline stack. */
function assignLevels(events: (RankedHeading | OutlineCloser)[]): void {
  const stack: RankedHeading[] = [];
  for (const e of events) {
    while (stack.length > 0 && stack[stack.length - 1]!.rank >= e.rank) stack.pop();
    if (!('level' in e)) continue;
    stack.push(e);
    e.level = stack.length;
  }
}
