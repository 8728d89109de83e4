import type { Evidence, FunctionId } from '@xunshi/types';
import type { CompiledRule } from '@xunshi/rules';
import { compareHits, type RuleHit } from '../match.js';

/** Reported scores are rounded to this many decimals (output precision, not a weight). */
const SCORE_DECIMALS = 1000;
export const round = (x: number): number => Math.round(x * SCORE_DECIMALS) / SCORE_DECIMALS;
/** Map a raw additive score (a sum of rule weights) to a reported score in (0, 1): 1 - e^-raw. */
export const squash = (x: number): number => round(1 - Math.exp(-x));

/** Evidence and score collected for one label of one unit. */
export class Tally {
  score = 0;
  /** The score the same hits give in a `measure` unit (rules' `measureWeight`). */
  measureScore = 0;
  hits: RuleHit[] = [];
  private readonly perRule = new Map<number, number>();

  /** Add a hit; a rule counts at most `cap` times, further hits are kept as evidence only. */
  add(hit: RuleHit, weight: number, cap: number, measureWeight = weight): void {
    const n = this.perRule.get(hit.rule) ?? 0;
    if (n < cap) {
      this.score += weight;
      this.measureScore += measureWeight;
    }
    this.perRule.set(hit.rule, n + 1);
    this.hits.push(hit);
  }

  /** Add a prior (from a heading or the document lead); it carries its evidence too. */
  addPrior(hit: RuleHit, weight: number): void {
    this.score += weight;
    this.measureScore += weight;
    this.hits.push(hit);
  }

  /** The score that decides a label in a unit of function `fn`. */
  scoreAt(fn: FunctionId): number {
    return fn === 'measure' ? this.measureScore : this.score;
  }
}

/** The tally of `key` in `map`, created empty on first use. */
export function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Tally()));
  return t;
}

/** Evidence phase: hits become evidence entries (rule id, span, text), ordered by position, without repeats. */
export function toEvidence(source: string, rules: readonly CompiledRule[], hits: readonly RuleHit[]): Evidence[] {
  const out: Evidence[] = [];
  // Sorted by start, end and rule, a repeated hit stands next to its first occurrence.
  let last: RuleHit | undefined;
  for (const h of [...hits].sort(compareHits)) {
    if (last && last.rule === h.rule && last.start === h.start && last.end === h.end) continue;
    last = h;
    out.push({ rule: rules[h.rule]!.id, start: h.start, end: h.end, text: source.slice(h.start, h.end) });
  }
  return out;
}
