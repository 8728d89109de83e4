import type { Token } from '@xunshi/types';
import type { CompiledRule, RuleExample, RuleSet } from '@xunshi/rules';
import { collectBoundaries, matchRange } from './match.js';

/** A rule example that did not behave as written. */
export interface ExampleFailure {
  rule: string;
  file: string;
  line: number;
  column: number;
  expected: 'match' | 'noMatch';
  text: string;
  message: string;
}

/** What the rule tester needs from the segmenter: the matching copy and tokens of a short text. */
export type PrepareText = (text: string) => { normalized: string; tokens: readonly Token[] };

/** One example of one rule, as a test case. */
export interface RuleExampleCase {
  rule: CompiledRule;
  expected: 'match' | 'noMatch';
  /** 1-based position of the example in its list. */
  index: number;
  example: RuleExample;
  /** A test name: rule id, list, position and the start of the text (`conduct.formalism.formalism noMatch #2: 以文件…`). */
  name: string;
}

/** What {@link runRuleExamples} found. */
export interface RuleExampleResult {
  rules: number;
  examples: number;
  /** Examples with at least one failure. */
  failed: number;
  failures: ExampleFailure[];
  /** `noMatch` examples of `terms` and `near` rules that contain a term of their rule (the ones that can fail). */
  noMatchWithTerm: number;
  /** Rules excused by `noMatchWithoutTerm` from having a term in their `noMatch` examples, with the reason given. */
  exceptions: { rule: string; reason: string }[];
}

/** The spans a rule produced on `text`, as the engine would see them (after exclusion, negation, longest match). */
export function findRuleSpans(ruleset: RuleSet, rule: CompiledRule, text: string, prepare: PrepareText): string[] {
  const { normalized, tokens } = prepare(text);
  const ri = ruleset.rules.indexOf(rule);
  const hits = matchRange(ruleset, normalized, { start: 0, end: text.length }, collectBoundaries(tokens));
  if (rule.kind === 'heading') return hits.heading.filter((h) => h.rule === ri).map((h) => text.slice(h.start, h.end));
  if (rule.kind === 'document') {
    const found = hits.document.filter((h) => h.rule === ri).map((h) => text.slice(h.start, h.end));
    // An absence rule fires on a text where none of its terms occurs (its "span" is then the whole text).
    if (rule.absent) return found.length ? [] : [text];
    return found;
  }
  if (rule.kind === 'exclude' || rule.kind === 'negation') return hits.dropped.filter((d) => d.by === ri).map((d) => text.slice(d.hit.start, d.hit.end));
  return hits.label.filter((h) => h.rule === ri).map((h) => text.slice(h.start, h.end));
}

/** Whether `noMatch` examples of this rule must contain one of its terms (`terms`, `near` and `frame` rules). */
export function needsTermInNoMatch(rule: CompiledRule): boolean {
  return rule.kind === 'terms' || rule.kind === 'near' || rule.kind === 'frame';
}

/**
 * Whether `text` contains a term of `rule` the way the matcher would find it (on the matching copy: traditional folded
 * to simplified, full-width to half-width, quote marks stepped over), wherever it stands (token boundaries, exclusion,
 * negation and distance are ignored). A `terms` rule needs one of its terms; a `near` rule needs both a `first` and a
 * `then` term (a `frame` both a concept and a predicate), so that its `noMatch` examples test the pairing (distance,
 * order, clause, boundaries), not the vocabulary.
 */
export function containsRuleTerm(ruleset: RuleSet, rule: CompiledRule, text: string, prepare: PrepareText): boolean {
  const ri = ruleset.rules.indexOf(rule);
  const { normalized } = prepare(text);
  const roles = new Set<string>();
  for (const h of ruleset.automaton.search(normalized)) {
    for (const o of ruleset.termOwners[h.term]!) if (o.rule === ri) roles.add(o.role);
  }
  return rule.kind === 'near' || rule.kind === 'frame' ? roles.has('first') && roles.has('then') : roles.has('terms');
}

/** Prepare each distinct text once (an example is matched, then searched for its rule's terms). */
function memoize(prepare: PrepareText): PrepareText {
  const seen = new Map<string, ReturnType<PrepareText>>();
  return (text) => {
    let p = seen.get(text);
    if (!p) seen.set(text, (p = prepare(text)));
    return p;
  };
}

const NAME_TEXT_MAX = 24;

/** Every example of the rules (that pass `filter`), in rule order, match examples first, each named for a test runner. */
export function listRuleExamples(ruleset: RuleSet, filter?: (rule: CompiledRule) => boolean): RuleExampleCase[] {
  const out: RuleExampleCase[] = [];
  for (const rule of ruleset.rules) {
    if (filter && !filter(rule)) continue;
    for (const expected of ['match', 'noMatch'] as const) {
      rule.examples[expected].forEach((example, i) => {
        const chars = [...example.text];
        const short = chars.length > NAME_TEXT_MAX ? chars.slice(0, NAME_TEXT_MAX - 1).join('') + '…' : example.text;
        out.push({ rule, expected, index: i + 1, example, name: `${rule.id} ${expected} #${i + 1}: ${short}` });
      });
    }
  }
  return out;
}

/**
 * Check one example. A `match` example must make the rule fire (for `exclude`/`negation`: drop a hit) and produce each
 * listed span; a `noMatch` example must not make it fire, and for a `terms` or `near` rule it must contain the rule's
 * terms ({@link containsRuleTerm}) — a `noMatch` without them cannot fail — unless the rule carries
 * `noMatchWithoutTerm` with the reason why no such text exists.
 */
export function checkRuleExample(ruleset: RuleSet, c: Pick<RuleExampleCase, 'rule' | 'expected' | 'index' | 'example'>, prepare: PrepareText): ExampleFailure[] {
  prepare = memoize(prepare);
  const { rule, expected, example: ex } = c;
  const where = { rule: rule.id, file: rule.file, line: ex.line ?? rule.line, column: ex.column ?? rule.column, expected, text: ex.text };
  const failures: ExampleFailure[] = [];
  const spans = findRuleSpans(ruleset, rule, ex.text, prepare);
  if (expected === 'match') {
    if (spans.length === 0) failures.push({ ...where, message: `rule ${rule.id} did not fire on its match example #${c.index}` });
    for (const want of ex.spans ?? []) {
      if (!spans.includes(want)) failures.push({ ...where, message: `rule ${rule.id}, match example #${c.index}: expected span "${want}", got ${spans.length ? spans.map((s) => `"${s}"`).join(', ') : 'none'}` });
    }
    return failures;
  }
  if (spans.length) failures.push({ ...where, message: `rule ${rule.id} fired on its noMatch example #${c.index}: ${spans.map((s) => `"${s}"`).join(', ')}` });
  if (needsTermInNoMatch(rule) && rule.noMatchWithoutTerm === undefined && !containsRuleTerm(ruleset, rule, ex.text, prepare)) {
    const lacks = rule.kind === 'near' ? 'lacks a "first" or a "then" term (it needs both)' : rule.kind === 'frame' ? 'lacks a concept or a predicate (it needs both)' : 'contains none of its terms';
    failures.push({
      ...where,
      message: `noMatch example #${c.index} of ${rule.kind} rule ${rule.id} ${lacks}, so it cannot fail: write one where a term stands in a context the rule must not fire on (or give the rule a "noMatchWithoutTerm" reason)`,
    });
  }
  return failures;
}

/** The keys of a compiled rule that hold terms. */
const TERM_LIST_KEYS = ['terms', 'first', 'then', 'concepts', 'predicates'] as const;

/**
 * Run every rule's `match` and `noMatch` examples through the full matcher ({@link checkRuleExample}). A rule that
 * carries `noMatchWithoutTerm` is listed in `exceptions`; the key is an error on a rule that is not of kind `terms` or
 * `near`, or whose `noMatch` examples all contain a term after all (it would excuse nothing).
 */
export function runRuleExamples(ruleset: RuleSet, prepare: PrepareText, filter?: (rule: CompiledRule) => boolean): RuleExampleResult {
  prepare = memoize(prepare);
  const failures: ExampleFailure[] = [];
  const exceptions: { rule: string; reason: string }[] = [];
  const cases = listRuleExamples(ruleset, filter);
  let noMatchWithTerm = 0;
  const termFree = new Set<CompiledRule>();
  let failed = 0;
  for (const c of cases) {
    const f = checkRuleExample(ruleset, c, prepare);
    if (f.length) failed++;
    failures.push(...f);
    if (c.expected === 'noMatch' && needsTermInNoMatch(c.rule)) {
      if (containsRuleTerm(ruleset, c.rule, c.example.text, prepare)) noMatchWithTerm++;
      else termFree.add(c.rule);
    }
  }
  let count = 0;
  for (const rule of ruleset.rules) {
    if (filter && !filter(rule)) continue;
    count++;
    // A term the matching copy would write otherwise (形式主義, ３个不准, 党委（党组）) is never found: the text is matched as
    // that copy, in simplified characters and half-width forms. Only a term that is a rule's only one made an example fail.
    for (const key of TERM_LIST_KEYS) {
      for (const term of (rule as unknown as Record<string, unknown>)[key] as string[] | undefined ?? []) {
        const copy = prepare(term).normalized;
        if (copy !== term) {
          failures.push({ rule: rule.id, file: rule.file, line: rule.line, column: rule.column, expected: 'match', text: '', message: `rule ${rule.id}: term "${term}" can never match: the text is matched in simplified characters and half-width forms, where it reads "${copy}"; write that` });
        }
      }
    }
    if (rule.noMatchWithoutTerm === undefined) continue;
    const where = { rule: rule.id, file: rule.file, line: rule.line, column: rule.column, expected: 'noMatch' as const, text: '' };
    if (!needsTermInNoMatch(rule)) failures.push({ ...where, message: `"noMatchWithoutTerm" does not apply to rule ${rule.id} of kind ${rule.kind}` });
    else if (!termFree.has(rule)) failures.push({ ...where, message: `rule ${rule.id} has "noMatchWithoutTerm" but every noMatch example contains a term: remove the key` });
    else exceptions.push({ rule: rule.id, reason: rule.noMatchWithoutTerm });
  }
  return { rules: count, examples: cases.length, failed, failures, noMatchWithTerm, exceptions };
}
