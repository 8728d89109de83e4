// Child process for the quadratic case: one unit of 80k characters without a sentence end (nor a line break) against
// the same characters with their sentence ends (ordinary units), and one of 10k, in paired rounds. Linear means the long
// unit costs no more per character than the ordinary text.
// Usage: node bench/long-unit.js CORPUS_DIR ROUNDS  → one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [corpusDir, roundsArg = '5'] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(`${corpusDir}.json`, 'utf8'));
const LONG = 80_000;
const SHORT = 10_000;

// Plain-text paragraphs of the corpus (Markdown markers dropped), until there are LONG characters.
const paragraphs = [];
let chars = 0;
for (const name of manifest.names) {
  for (const line of readFileSync(join(corpusDir, name), 'utf8').split('\n')) {
    const p = line.replace(/^[#>*\-\s]+/, '').trim();
    if (!p) continue;
    paragraphs.push(p);
    chars += p.length + 1;
  }
  if (chars > LONG + 1000) break;
}
// Ordinary: the paragraphs as lines, with their sentence ends. Long: the same characters on one line, every sentence end
// and line break turned into a comma, so the whole text is one unit.
const ordinary = paragraphs.join('\n').slice(0, LONG);
const toOneUnit = (s) => s.replace(/[。！？；!?;\n]/g, '，');
const long = toOneUnit(ordinary);
const short = long.slice(0, SHORT);

const { createAnalyzer } = await import('../packages/xunshi/dist/index.js');
const analyzer = createAnalyzer();
analyzer.warmUp();
const time = (text) => {
  const t0 = performance.now();
  const report = analyzer.analyze(text, { path: 'bench.txt' });
  return { ms: performance.now() - t0, passages: report.passages.length };
};
time(ordinary);
time(short);
const rounds = [];
for (let r = 0; r < Number(roundsArg); r++) {
  const o = time(ordinary);
  const s = time(short);
  const l = time(long);
  rounds.push({ ordinaryMs: o.ms, shortMs: s.ms, longMs: l.ms, ordinaryPassages: o.passages, longPassages: l.passages, perCharRatio: l.ms / long.length / (o.ms / ordinary.length) });
}
process.stdout.write(JSON.stringify({ chars: { ordinary: ordinary.length, short: short.length, long: long.length }, rounds }) + '\n');
