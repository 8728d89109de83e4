// Child process for item 6: rule compilation for the shipped rules and for ten times as many synthetic terms, and
// automaton matching throughput for both on the bench corpus (normalised copies, whole documents, as tagPassages does).
// Usage: node bench/rules.js CORPUS_DIR  → one JSON line on stdout.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrng } from './corpus.js';

const corpusDir = process.argv[2];
const FACTOR = 10;
const TERMS_PER_RULE = 50;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const t0 = performance.now();
const { loadRuleSet, buildAutomaton, getDefaultRulesDir } = await import('../packages/rules/dist/index.js');
const { createMatchingCopy } = await import('../packages/tokenizer/dist/index.js');
const importMs = performance.now() - t0;
const shippedDir = getDefaultRulesDir();

// First call in a fresh process: what a CLI run pays (YAML parsing, schema checks and the automaton, with a cold JIT).
const shipped = loadRuleSet({ dirs: [shippedDir] });
const shippedColdMs = shipped.compileMs;
const shippedWarmMs = median(Array.from({ length: 5 }, () => loadRuleSet({ dirs: [shippedDir] }).compileMs));

const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
const texts = manifest.names.map((n) => createMatchingCopy(readFileSync(join(corpusDir, n), 'utf8')).normalized);
const bytes = manifest.bytes;

// Synthetic terms draw their characters from the corpus's own character frequencies, so that they share prefixes with
// the text and the automaton really walks deep, instead of failing at the root on rare characters.
const hanChars = [];
for (const t of texts.slice(0, 200)) for (const ch of t) if (/\p{Script=Han}/u.test(ch)) hanChars.push(ch);
const rnd = createPrng(0x5eed);
const existing = new Set(shipped.terms);
const synthetic = [];
const seen = new Set();
while (synthetic.length < FACTOR * shipped.terms.length) {
  const len = 2 + Math.floor(rnd() * 4);
  let term = '';
  for (let i = 0; i < len; i++) term += hanChars[Math.floor(rnd() * hanChars.length)];
  if (existing.has(term) || seen.has(term)) continue;
  seen.add(term);
  synthetic.push(term);
}

// A real extra rules folder (terms rules with valid examples), loaded on top of the shipped rules like --extend-rules.
const extraDir = mkdtempSync(join(tmpdir(), 'xunshi-bench-rules-'));
let extended;
let extendedWarmMs;
try {
  const category = shipped.taxonomy.categories[0].subcategories[0].id;
  mkdirSync(join(extraDir, 'categories', 'synthetic'), { recursive: true });
  for (let f = 0; f * TERMS_PER_RULE < synthetic.length; f++) {
    const terms = synthetic.slice(f * TERMS_PER_RULE, (f + 1) * TERMS_PER_RULE);
    const yaml = [
      'description: Synthetic terms for the benchmark.',
      `defaults: { category: ${category}, boundary: none }`,
      'rules:',
      `  - id: synthetic-${f}`,
      '    kind: terms',
      `    terms: [${terms.join(', ')}]`,
      '    examples:',
      `      match: [{ text: 文中出现${terms[0]}一词, spans: [${terms[0]}] }]`,
      '      noMatch: [ABC]',
      '',
    ].join('\n');
    writeFileSync(join(extraDir, 'categories', 'synthetic', `terms-${String(f).padStart(3, '0')}.yaml`), yaml);
  }
  extended = loadRuleSet({ dirs: [shippedDir, extraDir] });
  extendedWarmMs = median(Array.from({ length: 3 }, () => loadRuleSet({ dirs: [shippedDir, extraDir] }).compileMs));
} finally {
  rmSync(extraDir, { recursive: true, force: true });
}

const buildMs = (terms) => median(Array.from({ length: 5 }, () => {
  const s = performance.now();
  buildAutomaton(terms);
  return performance.now() - s;
}));

function matchRate(automaton) {
  let best = Infinity;
  let hits = 0;
  for (let pass = 0; pass < 3; pass++) {
    hits = 0;
    const s = performance.now();
    for (const t of texts) hits += automaton.search(t).length;
    best = Math.min(best, performance.now() - s);
  }
  return { mbPerS: bytes / 1e6 / (best / 1000), hits };
}
// Interleaved, so that a burst of load from elsewhere does not land on one side only.
const matchShipped = matchRate(shipped.automaton);
const matchExtended = matchRate(extended.automaton);
const matchShipped2 = matchRate(shipped.automaton);
const matchExtended2 = matchRate(extended.automaton);
const best = (a, b) => (a.mbPerS >= b.mbPerS ? a : b);

process.stdout.write(
  JSON.stringify({
    importMs,
    shipped: { rules: shipped.rules.length, terms: shipped.terms.length, coldMs: shippedColdMs, warmMs: shippedWarmMs, automatonMs: buildMs(shipped.terms), match: best(matchShipped, matchShipped2) },
    extended: { rules: extended.rules.length, terms: extended.terms.length, synthetic: synthetic.length, coldMs: extended.compileMs, warmMs: extendedWarmMs, automatonMs: buildMs(extended.terms), match: best(matchExtended, matchExtended2) },
  }) + '\n',
);
