// Child process for items 1, 2 and 5b: bare nodejieba cut vs analyze() on the same corpus, in one thread, plus the
// memory of a worker-equivalent (one analyzer, documents in sequence) after 500 and after all documents.
// Usage: node bench/throughput.js CORPUS_DIR  → one JSON line on stdout.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const corpusDir = process.argv[2];
const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
const mb = (n) => n / 1e6;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;
const rssMb = () => process.memoryUsage().rss / 2 ** 20; // MiB, like maxRSS

const files = manifest.names.map((n) => ({ name: n, bytes: readFileSync(join(corpusDir, n)) }));
const texts = files.map((f) => new TextDecoder().decode(f.bytes));
const totalBytes = files.reduce((n, f) => n + f.bytes.length, 0);

const rssBaseline = rssMb();
const { createAnalyzer } = await import('../packages/xunshi/dist/analyzer.js');
const { renderJsonLine } = await import('../packages/report/dist/index.js');
const analyzer = createAnalyzer();
const rssRules = rssMb();
const tLoad = performance.now();
analyzer.warmUp();
const dictLoadMs = performance.now() - tLoad;
const rssDict = rssMb();

// The same addon instance the tokenizer loaded (resolved from its package), so the reference runs with exactly the
// dictionary analyze() uses: warmUp() made the call `load({userDict: lexicon.files.join('|')})`.
const jieba = createRequire(new URL('../packages/tokenizer/package.json', import.meta.url))('nodejieba');
const userDict = analyzer.lexicon.files.join('|');

function cutAll() {
  let tokens = 0;
  const t0 = performance.now();
  for (const text of texts) {
    for (const line of text.split('\n')) if (line) tokens += jieba.cut(line, false).length;
  }
  return { ms: performance.now() - t0, tokens };
}

// Reference before and after the analysis pass: the machine is shared and noisy, so the best of the two is used.
const refA = cutAll();

let passages = 0;
let mem500;
const phase = { analyzeMs: 0, renderMs: 0 };
for (let i = 0; i < files.length; i++) {
  const t0 = performance.now();
  const report = analyzer.analyze(files[i].bytes, { path: files[i].name });
  const t1 = performance.now();
  // Rendered like a worker does for --format jsonl, so the memory figure includes the output string.
  renderJsonLine(report);
  phase.analyzeMs += t1 - t0;
  phase.renderMs += performance.now() - t1;
  passages += report.passages.length;
  if (i + 1 === Math.min(500, files.length)) mem500 = { files: i + 1, maxRssMb: maxRssMb(), rssMb: rssMb(), heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 };
}
const memAll = { files: files.length, maxRssMb: maxRssMb(), rssMb: rssMb(), heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 };

const refB = cutAll();
const ref = refA.ms <= refB.ms ? refA : refB;

process.stdout.write(
  JSON.stringify({
    files: files.length,
    bytes: totalBytes,
    userDict,
    dictLoadMs,
    reference: { mbPerS: mb(totalBytes) / (ref.ms / 1000), tokens: ref.tokens, passesMbPerS: [refA, refB].map((r) => mb(totalBytes) / (r.ms / 1000)) },
    analyze: { mbPerS: mb(totalBytes) / (phase.analyzeMs / 1000), ms: phase.analyzeMs, renderMs: phase.renderMs, passages },
    memory: { baselineMb: rssBaseline, afterRulesMb: rssRules, afterDictMb: rssDict, dictionaryMb: rssDict - rssRules, at500: mem500, atAll: memAll },
  }) + '\n',
);
