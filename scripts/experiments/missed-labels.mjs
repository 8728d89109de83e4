#!/usr/bin/env node
// Where the gold labels of one area (or one root cause) go missing on the tuning part of ../shared/corpus/real: each document is read
// with a function model fitted without its sites (5 folds by site over dev + tuning, as `xunshi eval --out-of-fold`
// does for functions; the category model is the shipped one), and the gold labels of AREA that the system does not
// give are counted by the unit's gold function, the system's function, kind of document, gold subcategory, and whether
// the system gave the unit any area at all. With UNITS=1 it also prints each unit. It backs the stop-32 and stop-36 paragraphs
// of docs/accuracy.md; nothing is written anywhere. With `subcategory` it counts instead, over every gold area the system
// also gives, the wrong subcategories by pair (gold ← system), as `xunshi eval` scores subcategory accuracy (stop 39).
//   node scripts/experiments/missed-labels.mjs AREA        (political | organizational | conduct | discipline)
//   node scripts/experiments/missed-labels.mjs ROOT_CAUSE  (ideology | responsibility | institution | ecology)
//   node scripts/experiments/missed-labels.mjs subcategory
// Needs ../shared/corpus/dev and ../shared/corpus/real (documents of part held-out are never read) and a build.
import { createAnalyzer } from 'xunshi';
import { forEachFitDocument } from '@xunshi/eval';
import { outOfFoldFunctionModels } from './shared.mjs';

const { CATEGORY_IDS, ROOT_CAUSE_IDS } = await import(new URL('../../packages/types/dist/index.js', import.meta.url).href);
const area = process.argv[2];
const bySubcategory = area === 'subcategory';
if (!bySubcategory && !CATEGORY_IDS.includes(area) && !ROOT_CAUSE_IDS.includes(area)) {
  console.error(`usage: node scripts/experiments/missed-labels.mjs ${[...CATEGORY_IDS, ...ROOT_CAUSE_IDS, 'subcategory'].join('|')}`);
  process.exit(2);
}
const isRootCause = ROOT_CAUSE_IDS.includes(area);
const folders = ['../shared/corpus/dev', '../shared/corpus/real'];
const analyzer = createAnalyzer({});
const { foldOf, models } = await outOfFoldFunctionModels(analyzer, folders);

const missed = [];
let support = 0;
// Subcategories: each gold area the system also gives, right when one of the system's entries of that area has the gold
// subcategory (null for an area named as a whole), as packages/eval scores it.
const subcategories = { support: 0, wrong: [] };
const subName = (c) => c.subcategory ?? `${c.id}(null)`;
forEachFitDocument(folders, (d, bytes, align) => {
  // forEachFitDocument never reads held-out documents, so the documents of real/ here are its tuning part.
  if (!d.doc.startsWith('real/')) return;
  const r = analyzer.categoryCandidatesOf(bytes, { path: d.textPath, functionModel: models[foldOf.get(d.group)] });
  for (const [g, i] of align(r.units)) {
    const p = r.passages[i];
    if (bySubcategory) {
      for (const c of g.categories) {
        const given = p.categories.filter((s) => s.id === c.id);
        if (given.length === 0) continue;
        subcategories.support++;
        if (given.some((s) => s.subcategory === c.subcategory)) continue;
        // Gold with several subcategories of the area (一是…二是… of one area, 四风 as formalism and hedonism): is one of the others given?
        const several = g.categories.filter((o) => o.id === c.id).length > 1;
        const oneGiven = several && g.categories.some((o) => o !== c && o.id === c.id && given.some((s) => s.subcategory === o.subcategory));
        subcategories.wrong.push({ doc: d.doc, i, kind: d.kind, text: r.units[i].text, pair: `${subName(c)} ← ${given.map(subName).join('+')}`, gold: several ? (oneGiven ? 'several, another given' : 'several, none given') : 'one' });
      }
      continue;
    }
    // The unit's gold labels of this area (root causes have no subcategory), and what the system gave.
    const goldAreas = isRootCause ? [] : g.categories.filter((c) => c.id === area);
    if (isRootCause ? !g.rootCauses.includes(area) : goldAreas.length === 0) continue;
    support++;
    const given = (isRootCause ? p.rootCauses : p.categories).map((c) => c.id);
    if (given.includes(area)) continue;
    missed.push({ doc: d.doc, i, kind: d.kind, text: r.units[i].text, gold: g.function, sys: p.function, sub: goldAreas.map((c) => c.subcategory ?? 'null').join('+'), other: given });
  }
});

const count = (key, list = missed) => {
  const m = new Map();
  for (const u of list) m.set(key(u), (m.get(key(u)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ');
};
if (bySubcategory) {
  const { support: n, wrong } = subcategories;
  console.log(`subcategory: ${wrong.length} of ${n} gold areas the system gives have another subcategory on the tuning part (accuracy ${(1 - wrong.length / n).toFixed(3)}, functions out of fold)`);
  console.log(`  by kind:             ${count((u) => u.kind, wrong)}`);
  console.log(`  gold subcategories of the area: ${count((u) => u.gold, wrong)}`);
  console.log(`  by area:             ${count((u) => u.pair.split(/[.(]/)[0], wrong)}`);
  console.log(`  by pair (gold ← system): ${count((u) => u.pair, wrong)}`);
  if (process.env.UNITS === '1') for (const u of wrong) console.log(`${u.doc}#${u.i} ${u.kind} ${u.pair} (gold: ${u.gold}): ${u.text.slice(0, 160)}`);
  process.exit(0);
}
console.log(`${area}: ${missed.length} of ${support} gold units missed on the tuning part (functions out of fold)`);
console.log(`  by gold function:    ${count((u) => u.gold)}`);
console.log(`  by system function:  ${count((u) => u.sys)}`);
console.log(`  by kind:             ${count((u) => u.kind)}`);
if (!isRootCause) console.log(`  by gold subcategory: ${count((u) => u.sub)}`);
const what = isRootCause ? ['root causes:', 'root cause'] : ['areas:     ', 'area'];
console.log(`  system's ${what[0]} ${count((u) => (u.other.length ? `another ${what[1]}` : `no ${what[1]}`))}`);
if (process.env.UNITS === '1') for (const u of missed) console.log(`${u.doc}#${u.i} ${u.kind} gold ${u.gold}/${u.sub} system ${u.sys}/${u.other.join(',') || '-'}: ${u.text.slice(0, 160)}`);
