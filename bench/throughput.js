// Child process for items 1–2: bare nodejieba cut vs analyze() on the same documents, in one thread, in paired rounds.
// Each round runs one reference pass and one analysis pass over the same files (the order alternates between rounds, so
// that a burst of load from elsewhere does not always land on the same side); the figure is the median of the
// per-round ratios, with their spread.
// Usage: node bench/throughput.js CORPUS_DIR FILES ROUNDS  → one JSON line on stdout. XUNSHI_ANALYZER_MODULE (a file
// path) takes createAnalyzer from another module than the build's index (scripts/experiments/engine-ceiling.mjs).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [corpusDir, count = '500', roundsArg = '5'] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
const mb = (n) => n / 1e6;
const rssMb = () => process.memoryUsage().rss / 2 ** 20; // MiB, like maxRSS

const files = manifest.names.slice(0, Number(count)).map((n) => ({ name: n, bytes: readFileSync(join(corpusDir, n)) }));
const texts = files.map((f) => new TextDecoder().decode(f.bytes));
const totalBytes = files.reduce((n, f) => n + f.bytes.length, 0);

const rssBaseline = rssMb();
const analyzerModule = process.env.XUNSHI_ANALYZER_MODULE;
const { createAnalyzer } = await import(analyzerModule ? pathToFileURL(analyzerModule).href : '../packages/xunshi/dist/index.js');
const analyzer = createAnalyzer();
const rssRules = rssMb();
const tLoad = performance.now();
analyzer.warmUp();
const dictLoadMs = performance.now() - tLoad;
const rssDict = rssMb();

// The same addon instance the tokenizer loaded (resolved from its package), so the reference runs with exactly the
// dictionary analyze() uses: warmUp() made the call `load({userDict: lexicon.files.join('|')})`.
const jieba = createRequire(new URL('../packages/tokenizer/package.json', import.meta.url))('nodejieba');

function cutPass() {
  let tokens = 0;
  const t0 = performance.now();
  for (const text of texts) {
    for (const line of text.split('\n')) if (line) tokens += jieba.cut(line, false).length;
  }
  return { ms: performance.now() - t0, tokens };
}

function analyzePass() {
  let passages = 0;
  const t0 = performance.now();
  for (const f of files) passages += analyzer.analyze(f.bytes, { path: f.name }).passages.length;
  return { ms: performance.now() - t0, passages };
}

// Warm-up (JIT), not counted.
cutPass();
for (const f of files.slice(0, 50)) analyzer.analyze(f.bytes, { path: f.name });

const rounds = [];
for (let r = 0; r < Number(roundsArg); r++) {
  let cut;
  let an;
  if (r % 2 === 0) {
    cut = cutPass();
    an = analyzePass();
  } else {
    an = analyzePass();
    cut = cutPass();
  }
  rounds.push({ cutMs: cut.ms, analyzeMs: an.ms, ratio: cut.ms / an.ms, tokens: cut.tokens, passages: an.passages });
}

process.stdout.write(
  JSON.stringify({
    files: files.length,
    bytes: totalBytes,
    dictLoadMs,
    userDict: analyzer.lexicon.files.join('|'),
    rounds,
    cutMbPerS: rounds.map((r) => mb(totalBytes) / (r.cutMs / 1000)),
    analyzeMbPerS: rounds.map((r) => mb(totalBytes) / (r.analyzeMs / 1000)),
    memory: { baselineMb: rssBaseline, afterRulesMb: rssRules, afterDictMb: rssDict, dictionaryMb: rssDict - rssRules },
  }) + '\n',
);
