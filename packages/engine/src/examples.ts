import type { Token } from '@xunshi/types';
import type { CompiledRule, RuleSet } from '@xunshi/rules';
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

/**
 * Run every rule's `match` and `noMatch` examples through the full matcher. A `match` example must make the rule fire
 * (for `exclude`/`negation`: must make it drop a hit) and produce each listed span; a `noMatch` example must not.
 */
export function runRuleExamples(ruleset: RuleSet, prepare: PrepareText, filter?: (rule: CompiledRule) => boolean): { rules: number; examples: number; failures: ExampleFailure[] } {
  const failures: ExampleFailure[] = [];
  let examples = 0;
  let count = 0;
  for (const rule of ruleset.rules) {
    if (filter && !filter(rule)) continue;
    count++;
    const where = { rule: rule.id, file: rule.file, line: rule.line, column: rule.column };
    for (const ex of rule.examples.match) {
      examples++;
      const spans = findRuleSpans(ruleset, rule, ex.text, prepare);
      if (spans.length === 0) failures.push({ ...where, expected: 'match', text: ex.text, message: `rule ${rule.id} did not fire on its match example` });
      for (const want of ex.spans ?? []) {
        if (!spans.includes(want)) failures.push({ ...where, expected: 'match', text: ex.text, message: `expected span "${want}", got ${spans.length ? spans.map((s) => `"${s}"`).join(', ') : 'none'}` });
      }
    }
    for (const ex of rule.examples.noMatch) {
      examples++;
      const spans = findRuleSpans(ruleset, rule, ex.text, prepare);
      if (spans.length) failures.push({ ...where, expected: 'noMatch', text: ex.text, message: `rule ${rule.id} fired on its noMatch example: ${spans.map((s) => `"${s}"`).join(', ')}` });
    }
  }
  return { rules: count, examples, failures };
}
