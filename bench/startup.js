// Child process for item 4: the parts of a CLI start-up, timed inside one process the way `xunshi analyze FILE
// --format json` runs them (module graph of the CLI, rule compilation, dictionary load, first analysis and render).
// Usage: node bench/startup.js FILE  → one JSON line on stdout.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
// performance.now() counts from the process's time origin, so this is the runtime start as seen from user code.
const tStart = performance.now();
const cli = await import('../packages/xunshi/dist/cli.js');
const tImported = performance.now();
const { createAnalyzer } = await import('../packages/xunshi/dist/analyzer.js');
const { renderJson } = await import('../packages/report/dist/core.js');
void cli;
const tA = performance.now();
const analyzer = createAnalyzer();
const tB = performance.now();
analyzer.warmUp();
const tC = performance.now();
const report = analyzer.analyze(readFileSync(file), { path: file });
const out = renderJson(report);
const tD = performance.now();
process.stdout.write(
  JSON.stringify({
    runtimeToUserCodeMs: tStart,
    importMs: tImported - tStart,
    createAnalyzerMs: tB - tA,
    compileMs: analyzer.ruleset.compileMs,
    dictionaryMs: tC - tB,
    firstAnalysisMs: tD - tC,
    outputChars: out.length,
  }) + '\n',
);
