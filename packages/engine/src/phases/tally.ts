import type { CategoryId, Evidence, FunctionId } from '@xunshi/types';
import type { CompiledRule } from '@xunshi/rules';
import { compareHits, sortSmall, type RuleHit } from '../match.js';

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
  /** The rules added so far and how many hits each (a unit has few rules per label: a list, not a Map). */
  private readonly rules: number[] = [];
  private readonly counts: number[] = [];

  /** Add a hit; a rule counts at most `cap` times, further hits are kept as evidence only. */
  add(hit: RuleHit, weight: number, cap: number, measureWeight = weight): void {
    let k = this.rules.indexOf(hit.rule);
    if (k < 0) {
      k = this.rules.length;
      this.rules.push(hit.rule);
      this.counts.push(0);
    }
    if (this.counts[k]! < cap) {
      this.score += weight;
      this.measureScore += measureWeight;
    }
    this.counts[k]!++;
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

const categoryOfKeys = new Map<string, CategoryId>();

/** The category id of a category tally key (a subcategory id `area.sub`, or the area id itself); remembered per key. */
export function categoryOfKey(key: string): CategoryId {
  let id = categoryOfKeys.get(key);
  if (id === undefined) categoryOfKeys.set(key, (id = key.split('.')[0] as CategoryId));
  return id;
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
  for (const h of sortSmall([...hits], compareHits)) {
    if (last && last.rule === h.rule && last.start === h.start && last.end === h.end) continue;
    last = h;
    out.push({ rule: rules[h.rule]!.id, start: h.start, end: h.end, text: source.slice(h.start, h.end) });
  }
  return out;
}
