import { CATEGORY_IDS, type CategoryId, type Fact } from '@xunshi/types';
import { isCaseCount, isPersonCount } from '@xunshi/facts';

/** Totals of one category: amounts in yuan, people and cases. */
export interface CategoryFactTotals {
  /** Sum of exact amounts, or of the lower bound of bounded ones, in yuan. */
  amount: number;
  people: number;
  cases: number;
}

/** A passage as far as aggregation needs it. */
export interface AggregatablePassage {
  facts: Fact[];
  categories: { id: CategoryId }[];
}

/** Number a fact contributes: its exact value, else its lower bound, else 0. */
function getFloor(f: { value?: number; min?: number; max?: number }, exact: boolean): number {
  if (exact && f.value !== undefined) return f.value;
  return f.min ?? 0;
}

/**
 * Total the facts per category of the passages they stand in: amount (yuan; exact values or lower bounds), people and
 * cases; a passage without a category counts under `none`, one with two categories for both.
 */
export function aggregateFacts(passages: readonly AggregatablePassage[]): Record<CategoryId | 'none', CategoryFactTotals> {
  const out = {} as Record<CategoryId | 'none', CategoryFactTotals>;
  for (const id of [...CATEGORY_IDS, 'none'] as const) out[id] = { amount: 0, people: 0, cases: 0 };
  for (const passage of passages) {
    const totals: CategoryFactTotals = { amount: 0, people: 0, cases: 0 };
    for (const f of passage.facts) {
      if (f.kind === 'amount') totals.amount += getFloor(f, true);
      else if (f.kind === 'count') {
        const exact = f.min === undefined && f.max === undefined;
        const n = getFloor(f, exact);
        if (isPersonCount(f)) totals.people += n;
        if (isCaseCount(f)) totals.cases += n;
      }
    }
    const add = (id: CategoryId | 'none'): void => {
      const t = out[id];
      t.amount = Math.round((t.amount + totals.amount) * 100) / 100;
      t.people += totals.people;
      t.cases += totals.cases;
    };
    // Each category of the passage once, in the order it first appears.
    const cats = passage.categories;
    if (cats.length === 0) add('none');
    for (let i = 0; i < cats.length; i++) {
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = cats[j]!.id === cats[i]!.id;
      if (!seen) add(cats[i]!.id);
    }
  }
  return out;
}
