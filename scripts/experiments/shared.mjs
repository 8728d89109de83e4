// Shared by the experiment scripts of this folder.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFitSamples, fitFunctionModelWithout, foldsBySite, forEachFitDocument } from '@xunshi/eval';

/**
 * Function models out of fold, as `xunshi eval --out-of-fold` reads the functions: 5 folds by site over `folders`, each
 * model fitted without one fold. `foldOf` maps a document's group (`d.group` of forEachFitDocument) to its fold, whose
 * model is `models[foldOf.get(d.group)]`; `samples` are what they were fitted on (collectFitSamples).
 */
export async function outOfFoldFunctionModels(analyzer, folders) {
  const { DEFAULT_FIT_OPTIONS } = await import(new URL('../../packages/engine/dist/index.js', import.meta.url).href);
  const { samples } = collectFitSamples(analyzer, folders);
  const { foldOf } = foldsBySite(samples, 5, folders, [], 0);
  return { samples, foldOf, models: [0, 1, 2, 3, 4].map((k) => fitFunctionModelWithout(samples, foldOf, k, DEFAULT_FIT_OPTIONS)) };
}

/**
 * Prints micro-F1 over (unit, label) pairs with precision and recall, and F1 by kind of document: `units` have `gold`
 * (a Set of label ids) and `kind`; `pick(unit)` gives the predicted label ids.
 */
export function report(name, units, pick) {
  const { all, perKind } = pairCounts(units, pick);
  const f1 = (c) => microF1(c).toFixed(3);
  console.log(`${name.padEnd(28)} F1 ${f1(all)}  P ${(all.tp / (all.tp + all.fp)).toFixed(3)}  R ${(all.tp / (all.tp + all.fn)).toFixed(3)}  ${Object.entries(perKind).map(([k, c]) => `${k} ${f1(c)}`).join('  ')}`);
}

/** True and false positives and misses over (unit, label) pairs, in all and by kind of document (see {@link report}). */
export function pairCounts(units, pick) {
  const all = { tp: 0, fp: 0, fn: 0 };
  const perKind = {};
  for (const u of units) {
    const predicted = new Set(pick(u));
    const kind = (perKind[u.kind] ??= { tp: 0, fp: 0, fn: 0 });
    for (const id of predicted) for (const c of [all, kind]) c[u.gold.has(id) ? 'tp' : 'fp']++;
    for (const id of u.gold) if (!predicted.has(id)) for (const c of [all, kind]) c.fn++;
  }
  return { all, perKind };
}

/** Micro-F1 of pair counts `{ tp, fp, fn }`. */
export const microF1 = ({ tp, fp, fn }) => (2 * tp) / (2 * tp + fp + fn || 1);

/**
 * Coordinate ascent over a grid: three passes over `keys`, each setting `values[key]` to the grid value that maximises
 * `objective(values)`; a tie keeps the value nearer `preferred(key)`. Changes `values` in place and returns it.
 */
export function coordinateAscent(values, keys, grid, objective, preferred) {
  for (let pass = 0; pass < 3; pass++) {
    for (const key of keys) {
      const near = preferred(key);
      let best = values[key];
      let bestScore = -Infinity;
      for (const v of grid) {
        values[key] = v;
        const score = objective(values);
        if (score > bestScore + 1e-12 || (Math.abs(score - bestScore) <= 1e-12 && Math.abs(v - near) < Math.abs(best - near))) [best, bestScore] = [v, score];
      }
      values[key] = best;
    }
  }
  return values;
}

/**
 * Every root-cause candidate (any evidence) of the gold units of `folders`, from a copy of the rules whose root-cause
 * thresholds are near 0 (`createAnalyzer` is xunshi's). For each `modelOf` (a function model per document, or undefined
 * for the shipped one), the units in fit order: `{ group, kind, gold, fn, candidates }`, each candidate `{ id, raw, x }`
 * with `raw` its evidence total and `x` the features of the fitted root-cause model. Also the hand-set thresholds.
 */
export function rootCauseCandidates(createAnalyzer, folders, modelsOf) {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-rc-'));
  try {
    cpSync('rules', dir, { recursive: true });
    const path = join(dir, 'scoring.yaml');
    const text = readFileSync(path, 'utf8');
    const low = text.replace(/^(rootCause:\n  threshold: )[0-9.]+(.*\n  contextKeeps: )[0-9.]+/m, '$10.001$20.001');
    if (low === text) throw new Error('scoring.yaml: rootCause thresholds not found');
    const hand = { unit: Number(/^rootCause:\n  threshold: ([0-9.]+)/m.exec(text)[1]), context: Number(/^rootCause:\n.*\n  contextKeeps: ([0-9.]+)/m.exec(text)[1]) };
    writeFileSync(path, low);
    const analyzer = createAnalyzer({ rules: dir });
    const sets = modelsOf.map((modelOf) => {
      const out = [];
      forEachFitDocument(folders, (d, bytes, align) => {
        const { units, passages } = analyzer.categoryCandidatesOf(bytes, { path: d.textPath, ...(modelOf ? { functionModel: modelOf(d) } : {}) });
        for (const [g, i] of align(units)) {
          const p = passages[i];
          const candidates = p.rootCauses.map((r) => {
            // Raw evidence back from the reported score (1 - exp(-raw), rounded to 3 decimals).
            const raw = -Math.log(1 - Math.min(r.score, 0.9995));
            const x = new Map([['bias', 1], [`fn:${p.function}`, 1], [`rc:${r.id}`, 1], [`rcfn:${r.id}|${p.function}`, 1], ['score', Math.log1p(raw)], ['ncand', p.rootCauses.length]]);
            for (const e of r.evidence) x.set(`rule:${e.rule}`, 1).set(`rulefn:${e.rule}|${p.function}`, 1);
            for (const c of p.categories) x.set(`rccat:${r.id}|${c.id}`, 1);
            return { id: r.id, raw, x };
          });
          out.push({ group: d.group, kind: d.kind, gold: new Set(g.rootCauses), fn: p.function, candidates });
        }
      });
      return out;
    });
    return { hand, sets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The labels a unit keeps when a root cause needs `thresholdOf(id, context)` (`context`: the unit's function is context),
 * with 0.01 of slack for the rounding of the score.
 */
export const keptAt = (u, thresholdOf) => u.candidates.filter((c) => c.raw >= thresholdOf(c.id, u.fn === 'context') - 0.01).map((c) => c.id);

/** The labels a unit keeps by one threshold for units and one for context units, as the hand-set root-cause rules. */
export const keptByThresholds = (u, unit, context) => keptAt(u, (_, isContext) => (isContext ? context : unit));
