// Two builds of the project against each other, in one process: both analyzers loaded (each with its own nodejieba
// instance), then blocks of 30 files analysed by one and the other in alternating order, CPU time (process.cpuUsage)
// summed per build. Load from elsewhere lands on both alike, which separate processes do not give on a shared machine.
// Both share one V8 heap, so a change in garbage collection is split between them.
// Usage: node bench/ab-builds.js ROOT_A ROOT_B [FILES=300] [ROUNDS=6] [CORPUS_DIR]  (ROOT: a built copy of the repo;
// CORPUS_DIR defaults to the bench's 2,000-file corpus in .bench/)  → B/A CPU time, in total and per round.
// The build loaded second comes out about 4–8 % cheaper than it is (measured with two identical-speed builds, and with
// each pair both ways round), so the script then runs again in a child process with the roots swapped and also prints
// the geometric mean of both orders, B/A = sqrt((B/A loaded A first) / (A/B loaded B first)): that is the figure to
// quote. AB_ONE_ORDER=1 runs one order only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findCachedCorpus } from './corpus.js';

const [rootA, rootB, count = '300', roundsArg = '6', corpusArg] = process.argv.slice(2);
if (!rootA || !rootB) throw new Error('usage: node bench/ab-builds.js ROOT_A ROOT_B [FILES] [ROUNDS] [CORPUS_DIR]');
const corpus = corpusArg ?? findCachedCorpus(fileURLToPath(new URL('..', import.meta.url)), 2000);
if (!corpus) throw new Error('no 2,000-file bench corpus in .bench/: run pnpm bench once, or give CORPUS_DIR');
const manifest = JSON.parse(readFileSync(`${corpus}.json`, 'utf8'));
const files = manifest.names.slice(0, Number(count)).map((n) => ({ name: n, bytes: readFileSync(join(corpus, n)) }));

async function load(root) {
  const { createAnalyzer } = await import(join(root, 'packages/xunshi/dist/index.js'));
  const analyzer = createAnalyzer();
  analyzer.warmUp();
  for (const f of files.slice(0, 60)) analyzer.analyze(f.bytes, { path: f.name });
  return analyzer;
}
const a = await load(rootA);
const b = await load(rootB);
const pass = (analyzer, lo, hi) => {
  const c0 = process.cpuUsage();
  for (let i = lo; i < hi; i++) analyzer.analyze(files[i].bytes, { path: files[i].name });
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const CHUNK = 30;
let totalA = 0;
let totalB = 0;
const ratios = [];
for (let r = 0; r < Number(roundsArg); r++) {
  let ra = 0;
  let rb = 0;
  for (let lo = 0; lo < files.length; lo += CHUNK) {
    const hi = Math.min(files.length, lo + CHUNK);
    if ((lo / CHUNK + r) % 2) {
      ra += pass(a, lo, hi);
      rb += pass(b, lo, hi);
    } else {
      rb += pass(b, lo, hi);
      ra += pass(a, lo, hi);
    }
  }
  totalA += ra;
  totalB += rb;
  ratios.push(rb / ra);
}
ratios.sort((x, y) => x - y);
const f3 = (x) => x.toFixed(3);
process.stdout.write(`A ${totalA.toFixed(0)} ms, B ${totalB.toFixed(0)} ms of CPU: B/A ${f3(totalB / totalA)} in total, per round median ${f3(ratios[Math.floor(ratios.length / 2)])} (${f3(ratios[0])}–${f3(ratios.at(-1))})\n`);
if (process.env.AB_ONE_ORDER !== '1') {
  const args = [fileURLToPath(import.meta.url), rootB, rootA, count, roundsArg, ...(corpusArg ? [corpusArg] : [])];
  const swapped = spawnSync(process.execPath, args, { env: { ...process.env, AB_ONE_ORDER: '1' }, encoding: 'utf8' });
  const m = /B\/A ([0-9.]+) in total/.exec(swapped.stdout ?? '');
  if (swapped.status !== 0 || !m) throw new Error(`the swapped run failed: ${swapped.stderr}`);
  process.stdout.write(`swapped (ROOT_B loaded first): ${swapped.stdout.trim()}\n`);
  process.stdout.write(`both orders: B/A ${f3(Math.sqrt(totalB / totalA / Number(m[1])))} (geometric mean of ${f3(totalB / totalA)} and 1/${m[1]})\n`);
}
