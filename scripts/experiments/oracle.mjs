#!/usr/bin/env node
// How much of the category and root-cause error is the function's, and how much the decision's over the evidence the
// rules find: dev and the tuning part of ../shared/corpus/real are read with function models out of fold (5 folds by
// site) and the shipped category model, then scored three ways: as the system reads them; with each unit's function
// replaced by the gold one (needs the engine's test hook, below); and with a perfect decision over the evidence (a unit
// keeps exactly the gold labels among its candidates, that is, the labels with any rule evidence or given by topic
// continuity). The gold function goes to each unit whose text is a gold unit's (`categoryCandidatesOf`'s `functionOf`);
// the units of a document read without its inline pinyin glosses keep their decided function. Held-out documents are
// never read (forEachFitDocument refuses them). It backs the stop-34 paragraph of docs/accuracy.md; nothing is written.
//   node scripts/experiments/oracle.mjs
import { createAnalyzer } from 'xunshi';
import { forEachFitDocument, readGoldFile } from '@xunshi/eval';
import { outOfFoldFunctionModels, report, rootCauseCandidates } from './shared.mjs';

const folders = ['../shared/corpus/dev', '../shared/corpus/real'];
const analyzer = createAnalyzer({});
const { foldOf, models } = await outOfFoldFunctionModels(analyzer, folders);
const modelOf = (d) => models[foldOf.get(d.group)];

const goldFunctions = (d) => new Map(readGoldFile(d.goldPath).units.map((u) => [u.text, u.function]));

// One reading of every document: per unit the gold, the system's labels and the category candidates.
function read(oracleFunctions) {
  const units = [];
  let hits = 0;
  forEachFitDocument(folders, (d, bytes, align) => {
    const gold = oracleFunctions ? goldFunctions(d) : undefined;
    const functionOf = gold && ((unit) => {
      const f = gold.get(unit.text);
      if (f !== undefined) hits++;
      return f;
    });
    const r = analyzer.categoryCandidatesOf(bytes, { path: d.textPath, functionModel: modelOf(d), ...(functionOf ? { functionOf } : {}) });
    const cands = r.passages.map(() => new Set());
    for (const c of r.candidates) cands[c.unit].add(c.id);
    for (const [g, i] of align(r.units)) {
      const p = r.passages[i];
      units.push({
        part: d.doc.startsWith('dev/') ? 'dev' : 'tuning',
        kind: d.kind,
        goldFn: g.function,
        fn: p.function,
        goldCats: new Set(g.categories.map((c) => c.id)),
        cats: p.categories.map((c) => c.id),
        cands: new Set([...cands[i], ...p.categories.map((c) => c.id)]),
        goldRc: new Set(g.rootCauses),
        rcs: p.rootCauses.map((c) => c.id),
      });
    }
  });
  return { units, hits };
}

const system = read(false);
const withGold = read(true);
console.log(`units ${system.units.length}; gold functions put in place for ${withGold.hits} units of ${withGold.units.length}`);
const rc = rootCauseCandidates(createAnalyzer, folders, [modelOf]).sets[0];
if (rc.length !== system.units.length) throw new Error('root-cause candidates do not line up with the units');

for (const part of ['dev', 'tuning']) {
  const at = (set) => set.units.filter((u) => u.part === part);
  const s = at(system);
  const o = at(withGold);
  const r = rc.filter((_, k) => system.units[k].part === part);
  const acc = (us) => (us.filter((u) => u.fn === u.goldFn).length / us.length).toFixed(3);
  console.log(`\n${part}: ${s.length} units, function accuracy ${acc(s)} (gold functions: ${acc(o)})`);
  const cat = (u) => ({ ...u, gold: u.goldCats });
  const rcu = (u) => ({ ...u, gold: u.goldRc });
  report('category, system', s.map(cat), (u) => u.cats);
  report('category, gold functions', o.map(cat), (u) => u.cats);
  report('category, perfect decision', s.map(cat), (u) => [...u.cands].filter((c) => u.goldCats.has(c)));
  report('category, both', o.map(cat), (u) => [...u.cands].filter((c) => u.goldCats.has(c)));
  report('root cause, system', s.map(rcu), (u) => u.rcs);
  report('root cause, gold functions', o.map(rcu), (u) => u.rcs);
  // Candidates: any root-cause evidence (thresholds near 0), and what the system gave (topic continuity).
  const rcCands = r.map((u, k) => ({ kind: s[k].kind, gold: u.gold, cands: new Set([...u.candidates.map((c) => c.id), ...s[k].rcs]) }));
  report('root cause, perfect decision', rcCands, (u) => [...u.cands].filter((c) => u.gold.has(c)));
}

// Where the gold functions move the category figure on the tuning part: tp / fp / fn of the system's categories against
// the gold-function reading, by the pair (system function → gold function) of the unit.
const pairs = new Map();
const sys = system.units;
const gf = withGold.units;
for (let k = 0; k < sys.length; k++) {
  const a = sys[k];
  if (a.part !== 'tuning' || a.fn === a.goldFn) continue;
  const key = `${a.fn}→${a.goldFn}`;
  const row = pairs.get(key) ?? { n: 0, tp: 0, fp: 0, fn: 0 };
  row.n++;
  for (const [sign, u] of [[-1, a], [1, gf[k]]]) {
    for (const c of u.cats) u.goldCats.has(c) ? (row.tp += sign) : (row.fp += sign);
    for (const c of u.goldCats) if (!u.cats.includes(c)) row.fn += sign;
  }
  pairs.set(key, row);
}
console.log('\ntuning, units whose function is wrong: the gold function changes the category tp / fp / fn by');
for (const [k, r] of [...pairs].sort((x, y) => y[1].n - x[1].n)) console.log(`  ${k.padEnd(18)} ${String(r.n).padStart(4)} units  tp ${r.tp >= 0 ? '+' : ''}${r.tp}  fp ${r.fp >= 0 ? '+' : ''}${r.fp}  fn ${r.fn >= 0 ? '+' : ''}${r.fn}`);

// The category error budget of the tuning part: every false and missed (unit, area) pair of the system, by whether the
// unit's function is right and, for a missed one, whether the area was a candidate at all.
const budget = new Map();
const add = (key) => budget.set(key, (budget.get(key) ?? 0) + 1);
for (const u of sys) {
  if (u.part !== 'tuning') continue;
  const right = u.fn === u.goldFn ? 'function right' : `function wrong (gold ${u.goldFn})`;
  for (const c of u.cats) if (!u.goldCats.has(c)) add(`false area, ${right}, system ${u.fn}, gold ${u.goldCats.size ? 'another area' : 'no area'}`);
  for (const c of u.goldCats) if (!u.cats.includes(c)) add(u.cands.has(c) ? `missed area, a candidate turned down, ${right}, system ${u.fn}` : `missed area, no candidate, gold ${u.goldFn}`);
}
console.log('\ntuning, the category errors of the system (pairs of a unit and an area):');
for (const [k, n] of [...budget].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))) console.log(`  ${String(n).padStart(4)}  ${k}`);
