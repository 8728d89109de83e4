// Child process: CPU profile of analyze() alone (rules compiled and dictionary loaded before the profiler starts).
// Usage: node bench/profile-analyze.js CORPUS_DIR COUNT OUT.cpuprofile
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const [corpusDir, count, out] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
const files = manifest.names.slice(0, Number(count)).map((n) => ({ name: n, bytes: readFileSync(join(corpusDir, n)) }));
const { createAnalyzer } = await import('../packages/xunshi/dist/index.js');
const analyzer = createAnalyzer();
analyzer.warmUp();
// A few documents first, so that the profile shows steady-state code rather than the JIT's first pass.
for (const f of files.slice(0, 10)) analyzer.analyze(f.bytes, { path: f.name });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
for (const f of files) analyzer.analyze(f.bytes, { path: f.name });
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
session.disconnect();
