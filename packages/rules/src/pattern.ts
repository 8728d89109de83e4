import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import type { AST } from '@eslint-community/regexpp';

const UNSAFE_PATTERN = /\\[1-9]|\\k<|\(\?<?[=!]/;
/** Longest pattern source accepted, in characters. */
export const MAX_PATTERN_LENGTH = 400;

let safetyEnabled = false;

/**
 * Make user-written patterns less able to hang the process: V8 switches a regex to its linear-time engine when it
 * backtracks excessively (`--enable-experimental-regexp-engine-on-excessive-backtracks`), but not one with counted
 * quantifiers (`.{0,30}`), which that engine does not run: those are checked for exponential shapes
 * ({@link findExponentialShape}), and their polynomial backtracking is left to the time budget. Nor does it stop in time
 * the quadratic backtracking of two unbounded runs next to each other (`\**(一是)?\**`), although that engine runs such a
 * pattern: it counts the backtracks of V8's backtrack stack (50,000 before it steps in), and the give-back of a greedy
 * run of one character class is one such backtrack however long the rerun of the next run it causes, so a unit of
 * 50,000 `*` cost 14 s before the fallback took over. That shape is refused at load ({@link findAdjacentRuns}). This is a process-wide
 * V8 flag, so it is set here, explicitly and once per process (a thread shares its isolate's flags), by whoever compiles
 * patterns: {@link loadRuleSet} calls it before compiling any rule. Nothing sets it on import. The linear-time engine
 * has no backreferences or lookarounds, which {@link compilePattern} therefore rejects.
 */
export function enableRegexSafety(): void {
  if (safetyEnabled) return;
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  safetyEnabled = true;
}

/**
 * A pattern's syntax tree (regexpp, loaded only when a rule is compiled), or undefined when it does not parse (`new
 * RegExp` reports why).
 */
function parsePattern(source: string): AST.Pattern | undefined {
  // Each pattern is read by several checks and by the prefilter's index: parsed once (the trees are not modified by
  // their readers). The cache is emptied past PARSED_MAX sources, so a process that loads many rule sets stays bounded.
  if (parsed.has(source)) return parsed.get(source);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  let ast: AST.Pattern | undefined;
  try {
    const { RegExpParser } = createRequire(import.meta.url)('@eslint-community/regexpp') as typeof import('@eslint-community/regexpp');
    ast = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, { unicode: false, unicodeSets: false });
  } catch {
    ast = undefined;
  }
  parsed.set(source, ast);
  return ast;
}
const parsed = new Map<string, AST.Pattern | undefined>();
const PARSED_MAX = 2000;

/** Compile a rule's pattern (global flag), or return the reason it is refused. */
export function compilePattern(source: string): RegExp | { problem: string } {
  if (UNSAFE_PATTERN.test(source)) return { problem: 'backreferences and lookarounds are not allowed in patterns (they defeat the linear-time regex engine)' };
  if (source.length > MAX_PATTERN_LENGTH) return { problem: `pattern longer than ${MAX_PATTERN_LENGTH} characters` };
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'g');
  } catch (e) {
    return { problem: `bad pattern: ${(e as Error).message}` };
  }
  const unsafe = findLetterEscape(source) ?? findExponentialShape(source) ?? findLeadingUnbounded(source) ?? findAdjacentRuns(source);
  if (unsafe) return { problem: unsafe };
  if (regex.test('') || canMatchEmpty(source)) return { problem: 'pattern matches the empty string' };
  regex.lastIndex = 0;
  return regex;
}

/**
 * An escaped letter that is no escape without the `u` flag, which patterns run without: `\p{Han}` is the letters
 * p{Han}, `\u{4e00}` a `u` repeated 4e00 times or the text u{4e00}, `\A`, `\Z`, `\h` (other regex dialects) plain
 * letters. The pattern would silently match something else than its author meant, so it is refused.
 */
export function findLetterEscape(source: string): string | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  let found: string | undefined;
  const { visitRegExpAST } = createRequire(import.meta.url)('@eslint-community/regexpp') as typeof import('@eslint-community/regexpp');
  visitRegExpAST(ast, {
    onCharacterEnter(node) {
      if (!found && node.raw.length === 2 && node.raw[0] === '\\' && /[A-Za-z]/.test(node.raw[1]!) && node.value === node.raw.charCodeAt(1)) {
        found = `"${node.raw}" is the letter ${node.raw[1]} here: patterns run without the u flag, so \\p{…}, \\u{…} and the escapes of other regex dialects are plain letters (for Chinese characters write a range such as [\\u4e00-\\u9fff])`;
      }
    },
  });
  return found;
}

/** Whether some match of the pattern can be empty (`\b`, `a*\b`: the regex is refused although it fails on ""). */
function canMatchEmpty(source: string): boolean {
  const ast = parsePattern(source);
  return ast !== undefined && ast.alternatives.some((a) => firstOfAlternative(a.elements).nullable);
}

/** First characters an element can start with: code-point ranges, or `any` (a class too rich to compare). */
interface First {
  any: boolean;
  ranges: Array<[number, number]>;
  nullable: boolean;
}

function firstOfAlternative(elements: readonly AST.Element[]): First {
  const out: First = { any: false, ranges: [], nullable: true };
  for (const el of elements) {
    const f = firstOf(el);
    out.any ||= f.any;
    out.ranges.push(...f.ranges);
    if (!f.nullable) {
      out.nullable = false;
      break;
    }
  }
  return out;
}

function firstOf(el: AST.Element): First {
  switch (el.type) {
    case 'Character':
      return { any: false, ranges: [[el.value, el.value]], nullable: false };
    case 'CharacterClass': {
      if (el.negate) return { any: true, ranges: [], nullable: false };
      const ranges: Array<[number, number]> = [];
      for (const e of el.elements) {
        if (e.type === 'Character') ranges.push([e.value, e.value]);
        else if (e.type === 'CharacterClassRange') ranges.push([e.min.value, e.max.value]);
        else return { any: true, ranges: [], nullable: false };
      }
      return { any: false, ranges, nullable: false };
    }
    case 'Group':
    case 'CapturingGroup': {
      const out: First = { any: false, ranges: [], nullable: false };
      for (const alt of el.alternatives) {
        const f = firstOfAlternative(alt.elements);
        out.any ||= f.any;
        out.ranges.push(...f.ranges);
        out.nullable ||= f.nullable;
      }
      return out;
    }
    case 'Quantifier': {
      const f = firstOf(el.element);
      return { ...f, nullable: f.nullable || el.min === 0 };
    }
    case 'Assertion':
      return { any: false, ranges: [], nullable: true };
    default:
      // Character sets (. \d \w \s \p{..}), backreferences and anything else: compare as "any character".
      return { any: true, ranges: [], nullable: false };
  }
}

function overlaps(a: First, b: First): boolean {
  const aSome = a.any || a.ranges.length > 0;
  const bSome = b.any || b.ranges.length > 0;
  if ((a.any && bSome) || (b.any && aSome)) return true;
  return a.ranges.some(([lo, hi]) => b.ranges.some(([lo2, hi2]) => lo <= hi2 && lo2 <= hi));
}

/**
 * The reason a pattern can backtrack exponentially, or undefined. Walks the parsed pattern and refuses, inside any
 * part repeated more than once (`+`, `*`, `{n,m}` with m > 1):
 * - a nested quantifier of variable count (`(a+)+`, `(a*)*`, `(一{1,30})+`, `([^，]{0,40})+`, `((ab)?c)+`); a fixed
 *   count (`(a{2})+`) is one way to match and is allowed;
 * - an alternation whose branches can begin with a common character or match the empty string (`(a|a)*`,
 *   `(a|aa)+`, `(\d|1)+`, `(a|)+`). Classes other than plain characters and ranges (`[^…]`, `\d`, `.`) are taken to
 *   overlap anything, so the check errs on the side of refusing.
 * V8's linear-time fallback (see {@link enableRegexSafety}) does not cover counted quantifiers, so these shapes are
 * refused when the rules load rather than trusted to the engine.
 */
export function findExponentialShape(source: string): string | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  let found: string | undefined;
  const visitAlternatives = (node: AST.Pattern | AST.Group | AST.CapturingGroup, outer: AST.Quantifier | undefined): void => {
    if (outer && node.alternatives.length > 1) {
      const firsts = node.alternatives.map((a) => firstOfAlternative(a.elements));
      firsts.forEach((f, i) => {
        if (found) return;
        if (f.nullable) found = `ambiguous alternation: branch "${node.alternatives[i]!.raw}" of "${node.raw}" can match nothing inside the repeated "${outer.raw}", which can backtrack exponentially`;
        for (let j = i + 1; j < firsts.length && !found; j++) {
          if (overlaps(f, firsts[j]!)) found = `ambiguous alternation: branches "${node.alternatives[i]!.raw}" and "${node.alternatives[j]!.raw}" can begin with the same character inside the repeated "${outer.raw}", which can backtrack exponentially; make the branches start differently or drop the outer quantifier`;
        }
      });
    }
    for (const alt of node.alternatives) for (const el of alt.elements) visit(el, outer);
  };
  const visit = (el: AST.Element, outer: AST.Quantifier | undefined): void => {
    if (found) return;
    if (el.type === 'Quantifier') {
      if (outer && el.min !== el.max) {
        found = `nested quantifier: "${el.raw}" is repeated inside the repeated "${outer.raw}", which can backtrack exponentially; use one quantifier (e.g. [^，]{0,40} instead of ([^，]{0,40})+)`;
        return;
      }
      visit(el.element, outer ?? (el.max > 1 ? el : undefined));
    } else if (el.type === 'Group' || el.type === 'CapturingGroup') {
      visitAlternatives(el, outer);
    }
  };
  visitAlternatives(ast, undefined);
  return found;
}

/** Code-unit ranges, inclusive, in no particular order (patterns run without the `u` flag: units up to 0xffff). */
type Ranges = Array<[number, number]>;
const ALL_UNITS: Ranges = [[0, 0xffff]];
const DIGIT_UNITS: Ranges = [[0x30, 0x39]];
const WORD_UNITS: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
// What \s matches: WhiteSpace and LineTerminator of ECMAScript (with U+FEFF and the Unicode Zs spaces).
const SPACE_UNITS: Ranges = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const LINE_TERMINATOR_UNITS: Ranges = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];

function complement(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

function escapeUnits(el: AST.EscapeCharacterSet): Ranges {
  const units = el.kind === 'digit' ? DIGIT_UNITS : el.kind === 'word' ? WORD_UNITS : SPACE_UNITS;
  return el.negate ? complement(units) : units;
}

/** Every code unit a part of a pattern can match somewhere (all of them for what is not plainly listed). */
function unitsOf(el: AST.Node): Ranges {
  switch (el.type) {
    case 'Character':
      return [[el.value, el.value]];
    case 'CharacterClassRange':
      return [[el.min.value, el.max.value]];
    case 'CharacterSet':
      if (el.kind === 'any') return complement(LINE_TERMINATOR_UNITS);
      if (el.kind === 'digit' || el.kind === 'word' || el.kind === 'space') return escapeUnits(el);
      return ALL_UNITS;
    case 'CharacterClass': {
      const units = el.elements.flatMap((e) => unitsOf(e));
      return el.negate ? complement(units) : units;
    }
    case 'Group':
    case 'CapturingGroup':
      return el.alternatives.flatMap((a) => a.elements.flatMap((e) => unitsOf(e)));
    case 'Quantifier':
      return unitsOf(el.element);
    case 'Assertion':
      return [];
    default:
      return ALL_UNITS;
  }
}

function rangesOverlap(a: Ranges, b: Ranges): boolean {
  return a.some(([lo, hi]) => b.some(([lo2, hi2]) => lo <= hi2 && lo2 <= hi));
}

/**
 * Largest upper bound of a counted quantifier that is still a short run: `{0,2}`, `{0,80}` cost a bounded number of
 * steps per character next to another run; above it (`{0,1000}`) a quantifier is taken as unbounded.
 */
const SHORT_RUN_MAX = 100;

/** The runs (unbounded quantifiers, or counted ones above {@link SHORT_RUN_MAX}) a part can begin and end with. */
interface RunEdges {
  /** Runs that can take the part's first characters (only parts that can match nothing before them). */
  first: AST.Quantifier[];
  /** Runs that can take the part's last characters (only parts that can match nothing after them). */
  last: AST.Quantifier[];
  nullable: boolean;
}

function runEdgesOf(el: AST.Element): RunEdges {
  switch (el.type) {
    case 'Quantifier': {
      const inner = runEdgesOf(el.element);
      const self = el.max > SHORT_RUN_MAX ? [el] : [];
      return { first: [...self, ...inner.first], last: [...self, ...inner.last], nullable: el.min === 0 || inner.nullable };
    }
    case 'Group':
    case 'CapturingGroup': {
      const out: RunEdges = { first: [], last: [], nullable: false };
      for (const alt of el.alternatives) {
        const e = runEdgesOfSequence(alt.elements);
        out.first.push(...e.first);
        out.last.push(...e.last);
        out.nullable ||= e.nullable;
      }
      return out;
    }
    case 'Assertion':
      // ^ and $ hold only at the ends of the text (patterns run without the m flag): two runs around one split there.
      return { first: [], last: [], nullable: el.kind !== 'start' && el.kind !== 'end' };
    default:
      return { first: [], last: [], nullable: false };
  }
}

function runEdgesOfSequence(elements: readonly AST.Element[]): RunEdges {
  const edges = elements.map(runEdgesOf);
  const out: RunEdges = { first: [], last: [], nullable: edges.every((e) => e.nullable) };
  for (const e of edges) {
    out.first.push(...e.first);
    if (!e.nullable) break;
  }
  for (let i = edges.length - 1; i >= 0; i--) {
    out.last.push(...edges[i]!.last);
    if (!edges[i]!.nullable) break;
  }
  return out;
}

/**
 * The reason a pattern can backtrack polynomially in one attempt, or undefined: two runs (`*`, `+`, `{n,}`, or a
 * counted quantifier above {@link SHORT_RUN_MAX}) that can match a common character and follow each other with only
 * parts that can match nothing between them (`\s*\s*`, `.*X?.*`, `[^，]*(的)?[^，]*`, `\**(一是)?\**`). On a long run
 * of such characters that the rest of the pattern then rejects, every way of splitting the run between the two is
 * tried: quadratic in its length, in one attempt (a unit of 50,000 `*` took 14 s with `^\**(…)?\**(加强|…)`). V8's
 * linear-time fallback does not stop it in time: it counts the backtracks of its backtrack stack (50,000 before it
 * steps in), and a run that gives back one character and reruns the other is one such backtrack however long the
 * rerun. A counted quantifier of a small bound (`{0,2}`, `{0,80}`) costs a bounded number of steps per character and
 * is allowed. Runs next to each other through a repeated group (`(?:\s*x?)+`) are refused by
 * {@link findExponentialShape} first.
 */
export function findAdjacentRuns(source: string): string | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  const check = (a: AST.Quantifier, b: AST.Quantifier, between: readonly AST.Element[] = []): string | undefined => {
    if (a === b || !rangesOverlap(unitsOf(a.element), unitsOf(b.element))) return undefined;
    const bounded = `${b.element.raw}{0,20}`;
    if (between.length === 0) {
      return (
        `quantified runs that can match the same characters next to each other ("${a.raw}" and "${b.raw}"): a long run of such characters ` +
        `backtracks quadratically, which V8's linear-time fallback does not stop in time; merge them into one run (\\s*\\s* is \\s*) or bound one of them (${bounded})`
      );
    }
    let raw = between.map((e) => e.raw).join('');
    if (raw.length > 40) raw = `${raw.slice(0, 39)}…`;
    return (
      `quantified runs that can match the same characters next to each other ("${a.raw}" and "${b.raw}", with only "${raw}" between them, which can match nothing): ` +
      `a long run of such characters backtracks quadratically, which V8's linear-time fallback does not stop in time; move the second run into the optional part ` +
      `after something it requires (\\**(?:一是\\**)?加强 instead of \\**(一是)?\\**加强), or bound one of them (${bounded})`
    );
  };
  const inSequence = (elements: readonly AST.Element[]): string | undefined => {
    const edges = elements.map(runEdgesOf);
    for (let i = 0; i < elements.length; i++) {
      for (const a of edges[i]!.last) {
        for (let j = i + 1; j < elements.length; j++) {
          for (const b of edges[j]!.first) {
            const found = check(a, b, elements.slice(i + 1, j));
            if (found) return found;
          }
          if (!edges[j]!.nullable) break;
        }
      }
      const found = inElement(elements[i]!);
      if (found) return found;
    }
    return undefined;
  };
  const inElement = (el: AST.Element): string | undefined => {
    if (el.type === 'Quantifier') {
      if (el.max > 1) {
        // A repeated part: its end runs into its own start.
        const inner = runEdgesOf(el.element);
        for (const a of inner.last) for (const b of inner.first) {
          const found = check(a, b);
          if (found) return found;
        }
      }
      return inElement(el.element);
    }
    if (el.type === 'Group' || el.type === 'CapturingGroup') {
      for (const alt of el.alternatives) {
        const found = inSequence(alt.elements);
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const alt of ast.alternatives) {
    const found = inSequence(alt.elements);
    if (found) return found;
  }
  return undefined;
}

/** Whether an element matches nearly any character: a negated class, `.`, or a negated escape (`\S`, `\D`, `\W`). */
function coversMostText(el: AST.QuantifiableElement): boolean {
  if (el.type === 'CharacterClass') return el.negate || classSize(el) > MAX_LISTED_CLASS;
  if (el.type === 'CharacterSet') return el.kind === 'any' || ('negate' in el && el.negate);
  return false;
}

/**
 * Most characters a class of listed characters may hold to count as a list (`[一二三四五六七八九十]`, `[a-z]`, `\d`) rather
 * than as most of the text: `[\u4e00-\u9fff]` (every common Chinese character) or `[\s\S]` runs over a page as `.` does.
 */
const MAX_LISTED_CLASS = 256;

/** How many UTF-16 code units a (non-negated) class covers, counting a negated escape inside it (`\S`) as all of them. */
function classSize(el: AST.CharacterClass): number {
  let n = 0;
  for (const e of el.elements) {
    if (e.type === 'Character') n += 1;
    else if (e.type === 'CharacterClassRange') n += e.max.value - e.min.value + 1;
    else if (e.type === 'CharacterSet') n += 'negate' in e && e.negate ? 0x10000 : e.kind === 'digit' ? 10 : e.kind === 'word' ? 63 : e.kind === 'space' ? 25 : 0x10000;
    else n += 0x10000;
  }
  return n;
}

/**
 * An unbounded repetition of a class that covers most text (a negated class, `.`, `\S`, `\D`, `\W`, a class of more than
 * {@link MAX_LISTED_CLASS} characters such as `[\u4e00-\u9fff]` or `[\s\S]`) that a match can
 * begin with (`[^。；]*深刻…`, `.+X`, `(的)?[^，]*X`): the regex is tried from every position of a unit, and from each it
 * runs to the end of what the repetition covers before failing, so a long unit (a whole page without a sentence end)
 * costs time quadratic in its length — neither V8's linear-time fallback, which only steps in on excessive backtracking
 * of one attempt, nor the prefilter prevents it. A bound (`{0,80}`) keeps each attempt short. A repeated list of characters (`[一二三]+是`, `\d+`) runs only over those characters and is allowed.
 * Checked in every top-level alternative and the groups they begin with, past leading parts that can match nothing.
 */
export function findLeadingUnbounded(source: string): string | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  const inAlternative = (elements: readonly AST.Element[]): string | undefined => {
    for (const el of elements) {
      if (el.type === 'Quantifier' && el.max === Infinity && coversMostText(el.element)) {
        return `unbounded repetition at the start of a match: "${el.raw}" is tried from every position of a unit, so one long unit costs quadratic time; bound it (e.g. ${el.element.raw}{0,80})`;
      }
      const inner = el.type === 'Group' || el.type === 'CapturingGroup' ? el : el.type === 'Quantifier' && (el.element.type === 'Group' || el.element.type === 'CapturingGroup') ? el.element : undefined;
      if (inner) {
        for (const alt of inner.alternatives) {
          const found = inAlternative(alt.elements);
          if (found) return found;
        }
      }
      if (!firstOf(el).nullable) return undefined;
    }
    return undefined;
  };
  for (const alt of ast.alternatives) {
    const found = inAlternative(alt.elements);
    if (found) return found;
  }
  return undefined;
}

/** Most code units a pattern's first-character set may hold to be used as a filter. */
const MAX_FIRST_UNITS = 4096;

/**
 * The UTF-16 code units a match of the pattern can start with, or undefined when that is not a short list (a class such
 * as `[^，]`, `\d` or `.`, or a pattern that can begin with an empty part): a text without any of them holds no match.
 */
export function firstCodeUnits(source: string): number[] | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  const units = new Set<number>();
  for (const alt of ast.alternatives) {
    const f = firstOfAlternative(alt.elements);
    if (f.any || f.nullable) return undefined;
    for (const [lo, hi] of f.ranges) {
      if (hi - lo + units.size > MAX_FIRST_UNITS || hi > 0xffff) return undefined;
      for (let c = lo; c <= hi; c++) units.add(c);
    }
  }
  return [...units].sort((a, b) => a - b);
}

/** Most code units a required set may hold, and most sets kept per alternative. */
const MAX_REQUIRED_UNITS = 256;
const MAX_REQUIRED_SETS = 3;

/**
 * What every match of a pattern must contain, per top-level alternative: a few sets of UTF-16 code units, each of
 * which holds a character of every match of that alternative (a required character, a class, `\d`, or a group whose
 * every branch requires one). A text holds a match only if, for some alternative, it contains a unit of each of its
 * sets. Undefined when some alternative requires nothing known (`[^，]{0,9}…` alone, `.`). Each alternative keeps its
 * {@link MAX_REQUIRED_SETS} smallest sets, each sorted.
 */
export function requiredCodeUnits(source: string): number[][][] | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  const out: number[][][] = [];
  for (const alt of ast.alternatives) {
    const sets = requiredSetsOf(alt.elements);
    if (sets.length === 0) return undefined;
    out.push(sets.slice(0, MAX_REQUIRED_SETS).map((s) => [...s].sort((a, b) => a - b)));
  }
  return out;
}

/** The required sets of an alternative's elements, distinct, smallest first (ties: in pattern order). */
function requiredSetsOf(elements: readonly AST.Element[]): Set<number>[] {
  const sets: Set<number>[] = [];
  for (const el of elements) {
    const s = requiredOf(el);
    if (s && !sets.some((t) => t.size === s.size && [...s].every((c) => t.has(c)))) sets.push(s);
  }
  return sets.map((s, i) => [s, i] as const).sort((a, b) => a[0].size - b[0].size || a[1] - b[1]).map(([s]) => s);
}

/** The code units one of which every match of `el` contains, or undefined (none known, or too many). */
function requiredOf(el: AST.Element): Set<number> | undefined {
  switch (el.type) {
    case 'Character':
      return new Set([el.value]);
    case 'CharacterClass': {
      if (el.negate) return undefined;
      const out = new Set<number>();
      for (const e of el.elements) {
        if (e.type === 'Character') out.add(e.value);
        else if (e.type === 'CharacterClassRange' && e.max.value - e.min.value < MAX_REQUIRED_UNITS) for (let c = e.min.value; c <= e.max.value; c++) out.add(c);
        else if (e.type === 'CharacterSet' && e.kind === 'digit' && !e.negate) for (let c = 0x30; c <= 0x39; c++) out.add(c);
        else return undefined;
      }
      return out.size > 0 && out.size <= MAX_REQUIRED_UNITS ? out : undefined;
    }
    case 'CharacterSet':
      if (el.kind === 'digit' && !el.negate) return new Set(Array.from({ length: 10 }, (_, i) => 0x30 + i));
      return undefined;
    case 'Group':
    case 'CapturingGroup': {
      if ('modifiers' in el && el.modifiers) return undefined;
      const out = new Set<number>();
      for (const alt of el.alternatives) {
        const best = requiredSetsOf(alt.elements)[0];
        if (!best) return undefined;
        for (const c of best) out.add(c);
      }
      return out.size <= MAX_REQUIRED_UNITS ? out : undefined;
    }
    case 'Quantifier':
      return el.min >= 1 ? requiredOf(el.element) : undefined;
    default:
      // Assertions, backreferences, other character sets: nothing required that is known.
      return undefined;
  }
}

/**
 * The most UTF-16 code units a match of the pattern can span, or undefined when that is unbounded or when the pattern
 * holds an assertion (`^`, `$`, `\b`: a match would then depend on text outside a window of the range).
 */
export function maxMatchLength(source: string): number | undefined {
  const ast = parsePattern(source);
  if (!ast) return undefined;
  const ofAlternatives = (alternatives: readonly AST.Alternative[]): number => Math.max(...alternatives.map((a) => a.elements.reduce((n, el) => n + ofElement(el), 0)));
  const ofElement = (el: AST.Element): number => {
    switch (el.type) {
      case 'Character':
      case 'CharacterClass':
        return 1;
      case 'CharacterSet':
        return el.kind === 'property' ? 2 : 1;
      case 'Group':
      case 'CapturingGroup':
        return ofAlternatives(el.alternatives);
      case 'Quantifier':
        return el.max === Infinity ? Infinity : el.max * ofElement(el.element);
      default:
        return Infinity; // assertions, backreferences: no window
    }
  };
  const n = ofAlternatives(ast.alternatives);
  return Number.isFinite(n) ? n : undefined;
}
