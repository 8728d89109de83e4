// Child process for item 5b: the memory a worker keeps, as it grows (or not) with the batch. One analyzer (what a
// worker holds) analyses the memory corpus in sequence and renders each report like a worker does for --format
// jsonl; after 500 files and after all of them a full garbage collection runs and the process's RSS and V8 heap are
// read. Peak RSS (the CLI figures) depends on when V8 collects; what is left after a collection is what accumulates.
// Usage: node --expose-gc bench/memory.js CORPUS_DIR  → one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const corpusDir = process.argv[2];
const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
const { createAnalyzer } = await import('../packages/xunshi/dist/index.js');
const { renderJsonLine } = await import('../packages/report/dist/core.js');
const analyzer = createAnalyzer();
analyzer.warmUp();
const mib = (n) => n / 2 ** 20;
const settle = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { rssMb: mib(m.rss), heapUsedMb: mib(m.heapUsed), externalMb: mib(m.external) };
};
const points = [];
const marks = new Set([500, 1000, 2000, 4000, manifest.names.length]);
for (let i = 0; i < manifest.names.length; i++) {
  const name = manifest.names[i];
  renderJsonLine(analyzer.analyze(readFileSync(join(corpusDir, name)), { path: name }));
  if (marks.has(i + 1)) points.push({ files: i + 1, ...settle() });
}
process.stdout.write(JSON.stringify({ points, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
