/** A regular expression paired with the code units a match of it can begin with. */
export interface ScanPattern {
  /** The expression, compiled sticky (`y`) so that it is tried at one position only. */
  readonly re: RegExp;
  /** `first[c] === 1` when a match can begin with UTF-16 code unit `c`. */
  readonly first: Uint8Array;
  /**
   * When given: every match begins with a code unit of `core`, or with a lead-in of at most `reach` code units followed
   * by one (an optional prefix such as 约 or 不超过 before a number), so a start that is not in `core` is tried only when
   * a `core` code unit follows within `reach`.
   */
  readonly core?: Uint8Array;
  readonly reach?: number;
  /** When given: every match contains one of these strings, so a text holding none of them has no match. */
  readonly required?: readonly string[];
  /**
   * When given (with `stop`): every match begins with a run of code units of `runOf` (none or more: its lead-in and
   * number) followed by a code unit of `stop` (its measure word, 元 …), so a start whose run of `runOf` code units is
   * followed by anything else (or by the end of the text) is not tried, nor is any later start in that run.
   */
  readonly runOf?: Uint8Array;
  readonly stop?: Uint8Array;
}

/** What {@link compileScanPattern} may be told about a pattern's matches to skip more starts (see {@link ScanPattern}). */
export interface ScanGate {
  /** Every string the core of a match (what follows its optional lead-in) can begin with. */
  core: Iterable<string>;
  /** The longest lead-in (in code units) a match can have before its core. */
  reach: number;
  required?: readonly string[];
  /** Every code unit a match can hold before the code unit of `stop` that every match holds (see {@link ScanPattern}). */
  runOf?: string;
  /** Every string what follows that run can begin with; none may begin with a code unit of `runOf`. */
  stop?: Iterable<string>;
}

/** A table of UTF-16 code units: 1 for every first code unit of `starts`, 0 elsewhere. */
export function buildCodeTable(starts: Iterable<string>): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const s of starts) if (s.length > 0) table[s.charCodeAt(0)] = 1;
  return table;
}

/**
 * Compile `source` (flags `flags` plus `y`) for {@link scanMatches}; `starts` must list a string beginning with every
 * code unit a match can begin with (the first word of each alternative, each digit …), or matches are lost.
 */
export function compileScanPattern(source: string, starts: Iterable<string>, flags = '', gate?: ScanGate): ScanPattern {
  const re = new RegExp(source, `${flags}y`);
  const first = buildCodeTable(starts);
  if (!gate) return { re, first };
  let run: { runOf: Uint8Array; stop: Uint8Array } | undefined;
  if (gate.runOf !== undefined && gate.stop !== undefined) {
    // A string is an iterable of its characters: each one's code unit is marked.
    const runOf = buildCodeTable(gate.runOf);
    const stop = buildCodeTable(gate.stop);
    // A stop code unit inside the run would be read past, and its matches lost.
    for (let c = 0; c < 0x10000; c++) if (stop[c] === 1 && runOf[c] === 1) throw new Error(`scan gate: ${String.fromCharCode(c)} is both in the run and a stop`);
    run = { runOf, stop };
  }
  return {
    re,
    first,
    core: buildCodeTable(gate.core),
    reach: gate.reach,
    ...(gate.required ? { required: gate.required } : {}),
    ...run,
  };
}

/**
 * Return the same matches as `text.matchAll(new RegExp(source, 'g'))` (leftmost, non-overlapping, in order), for a
 * pattern that never matches the empty string.
 * Irregexp tries a pattern that starts with long optional alternations at every position; skipping positions whose
 * code unit cannot begin a match with a table lookup is several times faster on report text.
 */
export function scanMatches(text: string, pattern: ScanPattern): RegExpExecArray[] {
  const { re, first, core, reach = 0, required, runOf, stop } = pattern;
  const out: RegExpExecArray[] = [];
  if (required && !required.some((r) => text.includes(r))) return out;
  const n = text.length;
  let i = 0;
  // The end of the run of `runOf` code units that holds `i` (valid while i < runEnd; it only grows, so the scan stays
  // linear).
  let runEnd = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (first[c] === 0) {
      i++;
      continue;
    }
    if (runOf !== undefined && stop !== undefined) {
      if (i >= runEnd) {
        runEnd = i;
        while (runEnd < n && runOf[text.charCodeAt(runEnd)] === 1) runEnd++;
      }
      if (runEnd >= n || stop[text.charCodeAt(runEnd)] === 0) {
        // Every later start in this run ends its run at the same code unit.
        i = Math.max(i + 1, runEnd);
        continue;
      }
    }
    if (core && core[c] === 0) {
      // A lead-in: a match begins here only if its core begins within `reach` code units.
      let k = 1;
      while (k <= reach && i + k < n && core[text.charCodeAt(i + k)] === 0) k++;
      if (k > reach || i + k >= n) {
        i++;
        continue;
      }
    }
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) {
      i++;
      continue;
    }
    out.push(m);
    // An empty match must not stall the scan, as with matchAll.
    i += m[0].length === 0 ? 1 : m[0].length;
  }
  return out;
}

/**
 * A regular expression whose every match holds an anchor: a code unit of `anchors` at most `before` code units after
 * the match's start, at which `accept` (when given) is true.
 */
export interface AnchoredPattern {
  /** The expression, compiled sticky (`y`). */
  readonly re: RegExp;
  /** `first[c] === 1` when a match can begin with UTF-16 code unit `c`. */
  readonly first: Uint8Array;
  /** `anchors[c] === 1` for the code units one of which every match holds. */
  readonly anchors: Uint8Array;
  readonly before: number;
  /** Whether the anchor code unit at `pos` of `text` can be the anchor of a match (its neighbours fit). */
  readonly accept?: (text: string, pos: number) => boolean;
}

/** Compile `source` for {@link scanAnchored}; `starts` as for {@link compileScanPattern}. */
export function compileAnchoredPattern(
  source: string,
  starts: Iterable<string>,
  anchors: Iterable<string>,
  before: number,
  accept?: (text: string, pos: number) => boolean,
): AnchoredPattern {
  return { re: new RegExp(source, 'y'), first: buildCodeTable(starts), anchors: buildCodeTable(anchors), before, ...(accept ? { accept } : {}) };
}

/**
 * Return the same matches as `text.matchAll(new RegExp(source, 'g'))`, trying the pattern only at the starts within
 * `before` code units before an accepted anchor, each start once and in order: a match that begins at `s` holds an
 * accepted anchor at some `p` with `s <= p <= s + before`, so every start that can match is tried, and none is tried
 * after a later one. Linear: each start is tried at most once.
 */
export function scanAnchored(text: string, pattern: AnchoredPattern): RegExpExecArray[] {
  const { re, first, anchors, before, accept } = pattern;
  const out: RegExpExecArray[] = [];
  const n = text.length;
  // Every start below `next` has been tried or lies inside a match.
  let next = 0;
  for (let p = 0; p < n; p++) {
    if (anchors[text.charCodeAt(p)] === 0 || p < next || (accept !== undefined && !accept(text, p))) continue;
    let s = Math.max(next, p - before);
    while (s <= p) {
      if (first[text.charCodeAt(s)] === 1) {
        re.lastIndex = s;
        const m = re.exec(text);
        if (m !== null) {
          out.push(m);
          next = s + Math.max(1, m[0].length);
          s = next;
          continue;
        }
      }
      s++;
    }
    if (next <= p) next = p + 1;
  }
  return out;
}
