#!/usr/bin/env node
// What the two fitted models learn from (dev and the real corpus's tuning part; held-out documents are never read), as
// JSON for model-classes.py:
//   node scripts/experiments/dump-fit-samples.mjs PREFIX   → PREFIX.function.json, PREFIX.category.json
// PREFIX.function.json: one sample per gold unit: x (feature → value, as functionFeatures gives them), y (gold
// function), g (site), doc, kind, rules (the hand-set decision), f (the site's fold in the three site orders
// cross-validation uses: foldsBySite, 5 folds, orders 0, 1, 2).
// PREFIX.category.json: { train, test }, one entry per gold unit with its gold categories, its site's fold (order 0) and
// its candidate categories (id, the hand-set rules' decision, features x): `train` read with the shipped function model
// (as the category model is fitted), `test` with the function model fitted without the unit's fold (as a new text is
// read; what fitCategoryFromGold scores).
import { writeFileSync } from 'node:fs';
import { createAnalyzer } from 'xunshi';
import { collectCategoryUnits, foldsBySite } from '@xunshi/eval';
import { outOfFoldFunctionModels } from './shared.mjs';

const [prefix] = process.argv.slice(2);
if (!prefix) throw new Error('usage: node scripts/experiments/dump-fit-samples.mjs PREFIX');
const folders = ['../shared/corpus/dev', '../shared/corpus/real'];
const analyzer = createAnalyzer();

const { samples, foldOf, models } = await outOfFoldFunctionModels(analyzer, folders);
const orders = [0, 1, 2].map((repeat) => foldsBySite(samples, 5, folders, [], repeat).foldOf);
writeFileSync(`${prefix}.function.json`, JSON.stringify(samples.map((s) => ({ x: Object.fromEntries(s.x), y: s.y, g: s.group, doc: s.doc, kind: s.kind, rules: s.rules, f: orders.map((o) => o.get(s.group)) }))));

const { units } = collectCategoryUnits(analyzer, folders);
const test = collectCategoryUnits(analyzer, folders, (d) => models[foldOf.get(d.group)]).units;
const entry = (u) => ({ g: u.group, doc: u.doc, kind: u.kind, gold: [...u.gold], f: foldOf.get(u.group), c: u.candidates.map((c) => ({ id: c.id, rules: c.rules, x: Object.fromEntries(c.x) })) });
writeFileSync(`${prefix}.category.json`, JSON.stringify({ train: units.map(entry), test: test.map(entry) }));
console.log(`${samples.length} function samples → ${prefix}.function.json; ${units.length} units' category candidates → ${prefix}.category.json`);
