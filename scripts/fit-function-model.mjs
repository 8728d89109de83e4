#!/usr/bin/env node
// Experimental: fit the function model on gold folders and cross-validate by site.
//   node scripts/fit-function-model.mjs [--out FILE] [--rules DIR] GOLD_DIR...
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { readDocument } from '../packages/document/dist/index.js';
import { createMatchingCopy, segment } from '../packages/tokenizer/dist/index.js';
import { getDefaultRulesDir, loadRuleSet } from '../packages/rules/dist/index.js';
import { tagPassages, fitFunctionModel } from '../packages/engine/dist/index.js';

const args = process.argv.slice(2);
let out; let rulesDir = getDefaultRulesDir(); const dirs = [];
let opts = {};
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i];
  else if (args[i] === '--rules') rulesDir = args[++i];
  else if (args[i] === '--opts') opts = JSON.parse(args[++i]);
  else dirs.push(args[i]);
}
const ruleset = loadRuleSet({ dirs: [rulesDir] });
delete ruleset.functionModel;
const lexicon = ruleset.lexicon;

function readIndex(dir) {
  const f = join(dir, 'index.tsv');
  const map = new Map();
  if (!existsSync(f)) return map;
  const [head, ...rows] = readFileSync(f, 'utf8').trim().split('\n');
  const cols = head.split('\t');
  for (const r of rows) { const v = r.split('\t'); const o = Object.fromEntries(cols.map((c, i) => [c, v[i]])); map.set(o.id, o); }
  return map;
}
const samples = [];
const FUNCTIONS = ['problem', 'cause', 'measure', 'context'];
for (const dir of dirs) {
  const index = readIndex(dir);
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.gold.json')).sort()) {
    const id = name.replace('.gold.json', '');
    const gold = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const file = join(dir, gold.doc ?? `${id}.txt`);
    const row = index.get(id) ?? {};
    const site = row.site ?? (/^https?:/.test(row.url ?? '') ? new URL(row.url).host : id);
    const doc = readDocument(readFileSync(file), { path: file, format: file.endsWith('.md') ? 'markdown' : 'text', encoding: 'auto' });
    const { normalized } = createMatchingCopy(doc.text);
    const blocks = []; let cur;
    for (const u of doc.units) { if (cur && cur.block === u.block) cur.end = u.end; else { if (cur) blocks.push(cur); cur = { start: u.start, end: u.end, block: u.block }; } }
    if (cur) blocks.push(cur);
    const tokens = segment(normalized, blocks, lexicon);
    const features = [];
    const passages = tagPassages(ruleset, { source: doc.text, normalized, units: doc.units, tokens, features });
    const byStart = new Map(doc.units.map((u, i) => [`${u.start}:${u.end}`, i]));
    for (const g of gold.units) {
      const i = byStart.get(`${g.start}:${g.end}`);
      if (i === undefined) continue;
      samples.push({ x: features[i], y: g.function, group: site, doc: `${basename(dir)}/${id}`, kind: row.kind, rules: passages[i].function });
    }
  }
}
const FUNCTIONS_ = FUNCTIONS;
console.error(`${samples.length} samples from ${new Set(samples.map((s) => s.doc)).size} documents, ${new Set(samples.map((s) => s.group)).size} sites`);
function predict(model, x) {
  const sc = { problem: 0, cause: 0, measure: 0, context: 0 };
  for (const [k, v] of x) { const w = model.weights[k]; if (w) for (const f of FUNCTIONS) sc[f] += (w[f] ?? 0) * v; }
  let best = 'context'; for (const f of ['problem', 'cause', 'measure']) if (sc[f] > sc[best]) best = f; return best;
}
// Cross-validation by site: 5 folds, sites assigned in sorted order round-robin.
const sites = [...new Set(samples.map((s) => s.group))].sort();
const foldOf = new Map(sites.map((s, i) => [s, i % 5]));
let right = 0, rulesRight = 0; const perKind = {};
for (let k = 0; k < 5; k++) {
  const train = samples.filter((s) => foldOf.get(s.group) !== k);
  const test = samples.filter((s) => foldOf.get(s.group) === k);
  const model = fitFunctionModel(train, opts);
  for (const s of test) {
    const ok = predict(model, s.x) === s.y; right += ok; rulesRight += s.rules === s.y;
    const pk = (perKind[s.kind ?? '?'] ??= { n: 0, model: 0, rules: 0 }); pk.n++; pk.model += ok; pk.rules += s.rules === s.y;
  }
}
console.error(`cross-validated by site: model ${(right / samples.length).toFixed(3)}, rules ${(rulesRight / samples.length).toFixed(3)}`);
for (const [k, v] of Object.entries(perKind)) console.error(`  ${k}: model ${(v.model / v.n).toFixed(3)} rules ${(v.rules / v.n).toFixed(3)} (${v.n})`);
if (out) {
  const model = fitFunctionModel(samples, opts);
  const lines = ['# Fitted weights of the function model (see rules/README.md). Written by scripts/fit-function-model.mjs; do not edit by hand.', `description: "multinomial logistic regression over explainable unit features; ${samples.length} gold units, ${sites.length} sites; cross-validated accuracy by site ${(right / samples.length).toFixed(3)} (rules without the model: ${(rulesRight / samples.length).toFixed(3)})"`, 'weights:'];
  for (const [k, w] of Object.entries(model.weights)) lines.push(`  ${JSON.stringify(k)}: { ${FUNCTIONS.filter((f) => w[f] !== undefined).map((f) => `${f}: ${w[f]}`).join(', ')} }`);
  writeFileSync(out, lines.join('\n') + '\n');
  console.error(`wrote ${out} (${Object.keys(model.weights).length} features)`);
}
