// `pnpm bench`: builds the bench corpus and measures, in one run on this machine, the six figures of issue 6.
// Prints a table and writes bench/RESULTS.md from the same run. Knobs (for quick trials only; reported figures use the
// defaults): BENCH_FILES (2000), BENCH_MB (20), BENCH_RUNS (start-up runs, 5), BENCH_PROFILE=0 to skip profiles.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from './corpus.js';
import { summarizeProfile } from './profile.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bench = join(root, '.bench');
const FILES = Number(process.env.BENCH_FILES ?? 2000);
const TOTAL_MB = Number(process.env.BENCH_MB ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SEED = 20260101;
const SMALL_FILE = 'corpus/tuning/feedback-01.txt';
const N = availableParallelism();
const TARGET = { ratio: 0.7, speedupPerJob: 0.85, startupOtherS: 0.3 };
const CLI = join(root, 'packages/xunshi/bin/xunshi.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const log = (s) => process.stderr.write(`bench: ${s}\n`);
const loads = [];
const noteLoad = (phase) => loads.push({ phase, load1: loadavg()[0] });

function run(args, { env = {}, expectJson = false } = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, maxBuffer: 256 * 2 ** 20, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: node ${args.join(' ')} exited with ${r.status ?? r.signal}\n${r.stderr}`);
  return { ms, stdout: r.stdout, json: expectJson ? JSON.parse(r.stdout.trim().split('\n').pop()) : undefined };
}

function cliBatch(listFile, jobs, out, extraNodeArgs = []) {
  const peakFile = join(bench, `peak-${process.pid}.json`);
  const r = run([...extraNodeArgs, '-r', join(root, 'bench/peak-rss.cjs'), CLI, 'analyze', '--files-from', listFile, '--format', 'jsonl', '--out', out, '--quiet', '--jobs', String(jobs)], { env: { BENCH_PEAK_FILE: peakFile } });
  const peak = JSON.parse(readFileSync(peakFile, 'utf8'));
  rmSync(peakFile, { force: true });
  return { s: r.ms / 1000, peakMb: peak.maxRssKb / 1024, cpuS: peak.cpuS };
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const lineCount = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

// ── machine ───────────────────────────────────────────────────────────────────────────────────────────────────────
const machine = {
  cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown').trim(),
  nproc: N,
  memGiB: totalmem() / 2 ** 30,
  node: process.version,
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
};
mkdirSync(bench, { recursive: true });
noteLoad('start');

// ── corpus ────────────────────────────────────────────────────────────────────────────────────────────────────────
const t0 = performance.now();
const corpus = ensureCorpus(root, { files: FILES, totalMb: TOTAL_MB, seed: SEED });
log(`corpus ${corpus.dir} (${corpus.files} files, ${f1(corpus.bytes / 1e6)} MB, ${corpus.reused ? 'reused' : `generated in ${f1((performance.now() - t0) / 1000)} s`})`);
const listAll = join(bench, `list-${corpus.key}-all.txt`);
const list500 = join(bench, `list-${corpus.key}-500.txt`);
const names = corpus.names.map((n) => join(corpus.dir, n));
writeFileSync(listAll, names.join('\n') + '\n');
writeFileSync(list500, names.slice(0, 500).join('\n') + '\n');
const bytes500 = names.slice(0, 500).reduce((n, f) => n + readFileSync(f).length, 0);

// ── 1, 2, 5b: reference cut and analyze() in one thread ──────────────────────────────────────────────────────────
log('1–2: nodejieba cut vs analyze() in one thread …');
const tp = run(['bench/throughput.js', corpus.dir], { expectJson: true }).json;
noteLoad('after single-thread');
const ratio = tp.analyze.mbPerS / tp.reference.mbPerS;

// ── 3, 5a: batch CLI ──────────────────────────────────────────────────────────────────────────────────────────────
log(`3: batch CLI --jobs 1 and --jobs ${N} over ${FILES} files …`);
const out1 = join(bench, 'out-jobs1.jsonl');
const outN = join(bench, `out-jobs${N}.jsonl`);
const out500 = join(bench, `out-500-jobs${N}.jsonl`);
const b1 = cliBatch(listAll, 1, out1);
noteLoad('after --jobs 1');
const bN = cliBatch(listAll, N, outN);
noteLoad(`after --jobs ${N}`);
const identical = sha256(out1) === sha256(outN);
// Other people edit rules/ in this checkout: a differing ruleset hash explains a difference without a bug.
const hashOf = (file) => JSON.parse(readFileSync(file, 'utf8').split('\n', 1)[0]).tool.rulesetHash.slice(7, 15);
const sameText = identical ? 'identical' : hashOf(out1) === hashOf(outN) ? 'DIFFER' : `differ: rules changed between the runs (ruleset ${hashOf(out1)} vs ${hashOf(outN)})`;
const reports = lineCount(outN);
log(`5: batch CLI --jobs ${N} over 500 files …`);
const b500 = cliBatch(list500, N, out500);
for (const f of [out1, outN, out500]) rmSync(f, { force: true });
const speedup = b1.s / bN.s;

// ── 4: start-up ───────────────────────────────────────────────────────────────────────────────────────────────────
log(`4: start-up, ${RUNS} runs each …`);
const bare = [];
const cli = [];
const parts = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(run(['-e', '']).ms);
  cli.push(run([CLI, 'analyze', SMALL_FILE, '--format', 'json']).ms);
  parts.push(run(['bench/startup.js', SMALL_FILE], { expectJson: true }).json);
}
noteLoad('after start-up');
const part = (k) => median(parts.map((p) => p[k]));
const startup = {
  totalMs: median(cli),
  runtimeMs: median(bare),
  importMs: part('importMs'),
  compileMs: part('createAnalyzerMs'),
  dictionaryMs: part('dictionaryMs'),
  analysisMs: part('firstAnalysisMs'),
};
startup.otherMs = startup.totalMs - startup.dictionaryMs;
startup.unaccountedMs = startup.totalMs - startup.runtimeMs - startup.importMs - startup.compileMs - startup.dictionaryMs - startup.analysisMs;

// ── 6: rules ──────────────────────────────────────────────────────────────────────────────────────────────────────
log('6: rule compilation and matching …');
const rules = run(['bench/rules.js', corpus.dir], { expectJson: true }).json;
noteLoad('end');

// ── memory per worker ─────────────────────────────────────────────────────────────────────────────────────────────
// The main thread of a pooled batch holds the compiled rules but no dictionary: its share is the single-thread
// process's RSS after createAnalyzer() and before the dictionary load; the rest is split over the N workers.
const mainShare = tp.memory.afterRulesMb;
const perWorker = (peak) => (peak - mainShare) / N;

// ── verdicts and profiles ─────────────────────────────────────────────────────────────────────────────────────────
const verdict = {
  ratio: ratio >= TARGET.ratio,
  speedup: speedup >= TARGET.speedupPerJob * N,
  startup: startup.otherMs / 1000 <= TARGET.startupOtherS,
  memory: perWorker(bN.peakMb) <= perWorker(b500.peakMb) * 1.1,
  matching: rules.extended.match.mbPerS >= rules.shipped.match.mbPerS * 0.5,
};
const profiles = {};
if (process.env.BENCH_PROFILE !== '0') {
  const dir = join(bench, 'profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (!verdict.ratio) {
    log('profile: analyze() on 150 documents …');
    const file = join(dir, 'analyze.cpuprofile');
    run(['bench/profile-analyze.js', corpus.dir, '150', file]);
    profiles.analyze = summarizeProfile(file, 10);
  }
  if (!verdict.startup) {
    log('profile: CLI start-up …');
    const d = join(dir, 'startup');
    run(['--cpu-prof', '--cpu-prof-dir', d, CLI, 'analyze', SMALL_FILE, '--format', 'json']);
    profiles.startup = summarizeProfile(join(d, readdirSync(d)[0]), 10);
  }
  if (!verdict.speedup) {
    log(`profile: batch --jobs ${N} on 500 documents (every thread) …`);
    const d = join(dir, 'batch');
    const r = cliBatch(list500, N, join(bench, 'out-prof.jsonl'), ['--cpu-prof', '--cpu-prof-dir', d]);
    rmSync(join(bench, 'out-prof.jsonl'), { force: true });
    profiles.batch = { wallS: r.s, threads: readdirSync(d).sort().map((f) => ({ file: f, ...summarizeProfile(join(d, f), 5) })) };
  }
}

// ── output ────────────────────────────────────────────────────────────────────────────────────────────────────────
const mark = (ok) => (ok ? 'met' : 'MISSED');
const rows = [
  ['1', 'reference: nodejieba cut(line, false)', `${f2(tp.reference.mbPerS)} MB/s`, `best of 2 passes (${tp.reference.passesMbPerS.map(f2).join(', ')}), ${tp.reference.tokens.toLocaleString('en')} tokens`],
  ['2', 'analyze(), one thread', `${f2(tp.analyze.mbPerS)} MB/s`, `ratio ${f2(ratio)} to the reference (target ≥ ${TARGET.ratio}: ${mark(verdict.ratio)}); ${tp.analyze.passages.toLocaleString('en')} passages`],
  ['3', `batch CLI --jobs 1, ${FILES} files`, `${f1(b1.s)} s`, `${f2(corpus.bytes / 1e6 / b1.s)} MB/s wall, incl. start-up; CPU ${f1(b1.cpuS)} s`],
  ['3', `batch CLI --jobs ${N}, ${FILES} files`, `${f1(bN.s)} s`, `CPU ${f1(bN.cpuS)} s (${f2(bN.cpuS / bN.s)} cores busy); speed-up ${f2(speedup)}× (target ≥ ${f2(TARGET.speedupPerJob * N)}×: ${mark(verdict.speedup)}); outputs of both runs ${sameText} (${reports} reports)`],
  ['4', 'CLI start-up, one small file (median)', `${f2(startup.totalMs / 1000)} s`, `runtime ${f2(startup.runtimeMs / 1000)} + modules ${f2(startup.importMs / 1000)} + rules ${f2(startup.compileMs / 1000)} + dictionary ${f2(startup.dictionaryMs / 1000)} + analysis ${f2(startup.analysisMs / 1000)} + rest ${f2(startup.unaccountedMs / 1000)} s`],
  ['4', 'start-up without the dictionary load', `${f2(startup.otherMs / 1000)} s`, `target ≤ ${TARGET.startupOtherS} s: ${mark(verdict.startup)}`],
  ['5', `peak RSS, --jobs ${N}, 500 files`, `${Math.round(b500.peakMb)} MiB`, `≈ ${Math.round(perWorker(b500.peakMb))} MiB per worker (main thread ≈ ${Math.round(mainShare)} MiB)`],
  ['5', `peak RSS, --jobs ${N}, ${FILES} files`, `${Math.round(bN.peakMb)} MiB`, `≈ ${Math.round(perWorker(bN.peakMb))} MiB per worker: ${verdict.memory ? 'does not grow' : 'GROWS'} with the batch`],
  ['5', 'worker-equivalent (one thread, in sequence)', `${Math.round(tp.memory.at500.maxRssMb)} → ${Math.round(tp.memory.atAll.maxRssMb)} MiB`, `peak after 500 → after ${FILES} files; dictionary ${Math.round(tp.memory.dictionaryMb)} MiB of it (load ${f2(tp.dictLoadMs / 1000)} s)`],
  ['6', `compile shipped rules (${rules.shipped.rules} rules, ${rules.shipped.terms.toLocaleString('en')} terms)`, `${Math.round(rules.shipped.coldMs)} ms`, `first call in a process; warm ${Math.round(rules.shipped.warmMs)} ms, of which automaton ${f1(rules.shipped.automatonMs)} ms`],
  ['6', `compile + ${rules.extended.synthetic.toLocaleString('en')} synthetic terms (${rules.extended.terms.toLocaleString('en')} total)`, `${Math.round(rules.extended.coldMs)} ms`, `warm ${Math.round(rules.extended.warmMs)} ms, of which automaton ${f1(rules.extended.automatonMs)} ms`],
  ['6', 'automaton.search, shipped terms', `${f1(rules.shipped.match.mbPerS)} MB/s`, `${rules.shipped.match.hits.toLocaleString('en')} hits`],
  ['6', `automaton.search, ${f1(rules.extended.terms / rules.shipped.terms)}× the terms`, `${f1(rules.extended.match.mbPerS)} MB/s`, `${rules.extended.match.hits.toLocaleString('en')} hits; ${f2(rules.extended.match.mbPerS / rules.shipped.match.mbPerS)}× the shipped speed`],
];
const width = [1, 0, 0].map((_, i) => Math.max(...rows.map((r) => r[i + 1].length)));
const pad = (s, w) => s + ' '.repeat(Math.max(0, w - [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0)));
const loadText = loads.map((l) => `${l.phase} ${f2(l.load1)}`).join(', ');
const machineText = `${machine.cpu}, ${machine.nproc} cores (nproc), ${f1(machine.memGiB)} GiB, Node ${machine.node}, ${machine.date}`;
const corpusText = `${corpus.files} files, ${f1(corpus.bytes / 1e6)} MB of UTF-8 (first 500: ${f1(bytes500 / 1e6)} MB), generated from ${corpus.sources} sample reports with seed ${SEED}`;

process.stdout.write(`\nxunshi bench — ${machineText}\ncorpus: ${corpusText}\n1-min load average during the run: ${loadText}\n\n`);
for (const r of rows) process.stdout.write(`${r[0]}  ${pad(r[1], width[0])}  ${pad(r[2], width[1])}  ${r[3]}\n`);
const fmtList = (xs) => xs.map((x) => `${Math.round(x.ms)} ms ${f1(x.share * 100)}% ${x.name}`);
const profileText = [];
if (profiles.analyze) {
  profileText.push(`analyze() on 150 documents (busy ${Math.round(profiles.analyze.busyMs)} ms), by stage:`, ...fmtList(profiles.analyze.stages).map((s) => `  ${s}`));
  profileText.push('  by owner (built-ins charged to their caller):', ...fmtList(profiles.analyze.owners).map((s) => `    ${s}`));
  profileText.push('  hottest functions (self):', ...fmtList(profiles.analyze.top).map((s) => `    ${s}`));
}
if (profiles.startup) {
  profileText.push(`CLI start-up on one small file (busy ${Math.round(profiles.startup.busyMs)} ms), by owner:`, ...fmtList(profiles.startup.owners).map((s) => `  ${s}`));
  profileText.push('  hottest functions (self):', ...fmtList(profiles.startup.top).map((s) => `    ${s}`));
}
if (profiles.batch) {
  profileText.push(`batch --jobs ${N} on 500 files under the profiler (${f1(profiles.batch.wallS)} s wall), CPU busy per thread:`);
  for (const t of profiles.batch.threads) profileText.push(`  ${t.file}: busy ${Math.round(t.busyMs)} ms, idle ${Math.round(t.idleMs)} ms; top owners: ${fmtList(t.owners.slice(0, 4)).join('; ')}`);
}
if (profileText.length) process.stdout.write(`\nprofiles (.bench/profiles/):\n${profileText.join('\n')}\n`);

const md = [
  '# Performance (measured by `pnpm bench`)',
  '',
  `Machine: ${machineText}. Corpus: ${corpusText}. The machine is shared: 1-minute load average during the run was ${loadText}, so figures can move by up to 2× between runs.`,
  '',
  '| # | measure | figure | notes |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  'Targets: analyze() ≥ 0.7 × bare segmentation; batch speed-up ≥ 0.85 × N; start-up without the dictionary load ≤ 0.3 s; peak memory per worker flat in the batch size; matching cost flat in the number of terms.',
  ...(profileText.length ? ['', '## Profiles of missed targets', '', '```', ...profileText, '```'] : []),
  '',
];
writeFileSync(join(root, 'bench', 'RESULTS.md'), md.join('\n'));
writeFileSync(join(bench, 'last-run.json'), JSON.stringify({ machine, corpus: { ...corpus, names: undefined }, loads, tp, b1, bN, b500, startup, parts, rules, profiles, verdict }, null, 1));
log('wrote bench/RESULTS.md and .bench/last-run.json');
