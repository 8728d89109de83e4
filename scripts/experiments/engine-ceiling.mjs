#!/usr/bin/env node
// How fast analyze() could be if a phase cost nothing: the bench's paired throughput rounds (bench/throughput.js: the
// bare nodejieba cut against analyze() on the same files, median of the per-round ratios) with the phases after
// reading switched off one after another, each variant in a process of its own:
//   full                  analyze() as built;
//   hand-set engine       tagPassages without the fitted function and category models (the hand-set decisions);
//   rule matching only    of tagPassages, only its first phase (matchDocument: every rule hit of every unit);
//   no tagging            tagPassages replaced by one bare context passage per unit (no matching, features, models);
//   no tagging, facts     and no fact extraction;
//   no tagging, facts, segmentation   and no matching copy or nodejieba cut (reading, units and the summary remain).
// The switches live in a patched copy of the built analyzer (packages/xunshi/dist/analyzer-ceiling.js, build output,
// rewritten on every run); with every switch off, the copy is first checked to give the same reports as the build.
// It answers one question of issue 14: which phases must shrink, and by how much, for analyze() to reach a given
// fraction of the cut.
// Usage: node scripts/experiments/engine-ceiling.mjs [FILES=500] [ROUNDS=5] [CORPUS_DIR]  (build first: pnpm build;
// CORPUS_DIR defaults to the bench's 2,000-file corpus in .bench/)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findCachedCorpus } from '../../bench/corpus.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const [count = '500', rounds = '5', corpusArg] = process.argv.slice(2);
const corpus = corpusArg ?? findCachedCorpus(root, 2000);
if (!corpus) throw new Error('no 2,000-file bench corpus in .bench/: run pnpm bench once, or give CORPUS_DIR');

// The patched copy: each replacement must find its text exactly once, or the build changed and the script must too.
const dist = join(root, 'packages/xunshi/dist');
let source = readFileSync(join(dist, 'analyzer.js'), 'utf8');
const patch = (from, to) => {
  const at = source.indexOf(from);
  if (at < 0 || source.indexOf(from, at + 1) >= 0) throw new Error(`engine-ceiling: the built analyzer no longer has exactly one ${JSON.stringify(from)}`);
  source = source.replace(from, to);
};
patch(
  'const { normalized, script, tokens } = engineInput(doc, budget);',
  "const { normalized, script, tokens } = ceiling.noSegmentation ? { normalized: doc.text, script: 'simplified', tokens: undefined } : engineInput(doc, budget);",
);
patch(
  'const passages = tagPassages(ruleset, { source: doc.text, normalized, units: doc.units, tokens, diagnostics });',
  `const engineIn = { source: doc.text, normalized, units: doc.units, tokens, diagnostics };
        const passages = ceiling.noTagging || ceiling.matchOnly
            ? (ceiling.matchOnly && ceilingMatch(ruleset, engineIn), doc.units.map((u) => ({ id: u.id, start: u.start, end: u.end, text: u.text, headingPath: u.headingPath, function: 'context', functionScores: { problem: 0, cause: 0, measure: 0, context: 1 }, functionEvidence: [], categories: [], rootCauses: [], facts: [] })))
            : tagPassages(ceiling.noModels ? ceilingHandOnly(ruleset) : ruleset, engineIn);`,
);
patch('const all = facts.extract(doc.text, { normalized });', 'const all = ceiling.noFacts ? [] : facts.extract(doc.text, { normalized });');
const patched = join(dist, 'analyzer-ceiling.js');
// The parsers the package's index registers (Markdown, docx …), which the analyzer module alone leaves out.
// CEILING_MATCH_ONLY runs the engine's first phase alone; CEILING_NO_MODELS the hand-set engine without the fitted models.
const prelude = `import '@xunshi/document';
import { matchDocument as ceilingMatch } from '@xunshi/engine';
const ceiling = {
    noSegmentation: Boolean(process.env.CEILING_NO_SEGMENTATION),
    noTagging: Boolean(process.env.CEILING_NO_TAGGING),
    matchOnly: Boolean(process.env.CEILING_MATCH_ONLY),
    noModels: Boolean(process.env.CEILING_NO_MODELS),
    noFacts: Boolean(process.env.CEILING_NO_FACTS),
};
const ceilingHandOnlyRulesets = new WeakMap();
const ceilingHandOnly = (r) => {
    let out = ceilingHandOnlyRulesets.get(r);
    if (!out) ceilingHandOnlyRulesets.set(r, (out = { ...r, functionModel: undefined, categoryModel: undefined }));
    return out;
};
`;
writeFileSync(patched, prelude + source);

// With every switch off the copy is the build: the same reports on the first 100 files.
const manifest = JSON.parse(readFileSync(`${corpus}.json`, 'utf8'));
{
  const built = (await import(pathToFileURL(join(dist, 'index.js')).href)).createAnalyzer();
  const copy = (await import(pathToFileURL(patched).href)).createAnalyzer();
  for (const name of manifest.names.slice(0, 100)) {
    const bytes = readFileSync(join(corpus, name));
    if (JSON.stringify(copy.analyze(bytes, { path: name })) !== JSON.stringify(built.analyze(bytes, { path: name }))) {
      throw new Error(`engine-ceiling: the patched copy with every switch off differs from the build on ${name}`);
    }
  }
}

const variants = [
  ['full', {}],
  ['hand-set engine, no fitted models', { CEILING_NO_MODELS: '1' }],
  ['rule matching only', { CEILING_MATCH_ONLY: '1' }],
  ['no tagging', { CEILING_NO_TAGGING: '1' }],
  ['no tagging, facts', { CEILING_NO_TAGGING: '1', CEILING_NO_FACTS: '1' }],
  ['no tagging, facts, segmentation', { CEILING_NO_TAGGING: '1', CEILING_NO_FACTS: '1', CEILING_NO_SEGMENTATION: '1' }],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`corpus ${corpus}, ${count} files, ${rounds} paired rounds per variant`);
console.log('variant'.padEnd(34) + 'analyze ÷ cut (median, spread)   analyze ms   cut ms');
for (const [name, env] of variants) {
  const child = spawnSync(process.execPath, [join(root, 'bench/throughput.js'), corpus, count, rounds], {
    encoding: 'utf8',
    env: { ...process.env, ...env, XUNSHI_ANALYZER_MODULE: patched },
    maxBuffer: 64 << 20,
  });
  if (child.status !== 0) throw new Error(`engine-ceiling: ${name}: ${child.stderr}`);
  const { rounds: rs } = JSON.parse(child.stdout.trim().split('\n').pop());
  const ratios = rs.map((r) => r.ratio);
  console.log(
    name.padEnd(34) +
      `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`.padEnd(33) +
      `${median(rs.map((r) => r.analyzeMs)).toFixed(0).padStart(10)}   ${median(rs.map((r) => r.cutMs)).toFixed(0).padStart(6)}`,
  );
}
