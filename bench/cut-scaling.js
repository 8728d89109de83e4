// Child process for the jobs-scaling reference: how the bare nodejieba cut itself scales from one thread to N worker
// threads on this machine right now (each thread loads its own dictionary first; only the cutting is timed).
// Usage: node bench/cut-scaling.js CORPUS_DIR THREADS  → one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const loadJieba = (userDict) => {
  const jieba = createRequire(new URL('../packages/tokenizer/package.json', import.meta.url))('nodejieba');
  jieba.load({ userDict });
  return jieba;
};
const cutFiles = (jieba, paths) => {
  let tokens = 0;
  for (const p of paths) for (const line of readFileSync(p, 'utf8').split('\n')) if (line) tokens += jieba.cut(line, false).length;
  return tokens;
};

if (!isMainThread) {
  const jieba = loadJieba(workerData.userDict);
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    cutFiles(jieba, workerData.paths);
    parentPort.postMessage('done');
  });
} else {
  const [corpusDir, threadsArg = '2'] = process.argv.slice(2);
  const threads = Number(threadsArg);
  const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
  const paths = manifest.names.map((n) => join(corpusDir, n));
  const { getRuleDirs, loadRuleSet } = await import('../packages/rules/dist/index.js');
  const userDict = loadRuleSet({ dirs: getRuleDirs() }).lexicon.files.join('|');
  // Read once so that both runs find the files in the page cache.
  for (const p of paths) readFileSync(p);
  const runThreads = async (n) => {
    const workers = Array.from({ length: n }, (_, i) => new Worker(new URL(import.meta.url), { workerData: { userDict, paths: paths.filter((_, k) => k % n === i) } }));
    await Promise.all(workers.map((w) => new Promise((ok) => w.once('message', ok))));
    const t0 = performance.now();
    await Promise.all(workers.map((w) => new Promise((ok) => { w.once('message', ok); w.postMessage('go'); })));
    const ms = performance.now() - t0;
    await Promise.all(workers.map((w) => w.terminate()));
    return ms;
  };
  const one = await runThreads(1);
  const many = await runThreads(threads);
  process.stdout.write(JSON.stringify({ threads, oneMs: one, manyMs: many, speedup: one / many }) + '\n');
}
