// Shared by the experiment scripts of this folder.

/**
 * Prints micro-F1 over (unit, label) pairs with precision and recall, and F1 by kind of document: `units` have `gold`
 * (a Set of label ids) and `kind`; `pick(unit)` gives the predicted label ids.
 */
export function report(name, units, pick) {
  const all = { tp: 0, fp: 0, fn: 0 };
  const perKind = {};
  for (const u of units) {
    const predicted = new Set(pick(u));
    const kind = (perKind[u.kind] ??= { tp: 0, fp: 0, fn: 0 });
    for (const id of predicted) for (const c of [all, kind]) c[u.gold.has(id) ? 'tp' : 'fp']++;
    for (const id of u.gold) if (!predicted.has(id)) for (const c of [all, kind]) c.fn++;
  }
  const f1 = (c) => ((2 * c.tp) / (2 * c.tp + c.fp + c.fn || 1)).toFixed(3);
  console.log(`${name.padEnd(28)} F1 ${f1(all)}  P ${(all.tp / (all.tp + all.fp)).toFixed(3)}  R ${(all.tp / (all.tp + all.fn)).toFixed(3)}  ${Object.entries(perKind).map(([k, c]) => `${k} ${f1(c)}`).join('  ')}`);
}
