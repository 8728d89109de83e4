// What a ledger's category column (问题类别) adds to the labels of the problems in its rows. From the gold units of the
// real corpus's tuning part and of dev (never the held-out part), one rectification ledger (整改台账) a text, in HTML
// (ledgers.mjs): 序号 | 问题类别 | 问题 | 整改措施 | 责任单位, the text's gold problem units down 问题 and its gold measure
// units down 整改措施, and in 问题类别 the section heading each problem stands under when its text is read as it is
// (the nearest entry of its passage's headingPath, read by the first build given), as a real ledger carries the section
// of the report a problem comes from. Each build reads the ledgers in three layouts of that column (a merged cell over a
// run of rows, the first row of a run only, every row), and each problem cell is scored against its gold unit
// (category micro-F1) and against the categories the same build gives the unit in the text itself (units whose
// category sets agree). The ledgers go to a temporary folder and are deleted.
//
//   node scripts/experiments/ledger-topics.mjs BUILD_CLI...
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedgers, f1, newTally, scoreLedger } from './ledgers.mjs';

const clis = process.argv.slice(2);
if (clis.length === 0) throw new Error('usage: node scripts/experiments/ledger-topics.mjs BUILD_CLI...');
const corpus = new URL('../../../shared/corpus/', import.meta.url).pathname;
const rowsOf = (index) => {
  const [head, ...lines] = readFileSync(index, 'utf8').trim().split('\n');
  const keys = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v])));
};
const texts = [
  ...rowsOf(join(corpus, 'real/index.tsv')).filter((r) => r.part === 'tuning').map((r) => join(corpus, 'real', `${r.id}.txt`)),
  ...rowsOf(join(corpus, 'dev/index.tsv')).map((r) => join(corpus, 'dev', r.file ?? `${r.id}.txt`)),
];
const tmp = mkdtempSync(join(tmpdir(), 'ledger-topics-'));
const list = join(tmp, 'texts.lst');
writeFileSync(list, texts.join('\n') + '\n');
const analyze = (cli, args) => execFileSync(process.execPath, [cli, 'analyze', ...args, '-f', 'jsonl', '-q', '--jobs', '1'], { maxBuffer: 1 << 30, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.passages);
// The passage of a text that holds a gold unit's midpoint (as `xunshi eval` maps them).
const passageAt = (report, unit) => {
  const mid = unit.start + Math.floor((unit.end - unit.start) / 2);
  return report.passages.find((p) => p.start <= mid && mid < p.end);
};
const keyOf = (path) => {
  const parts = path.split('/');
  return `${parts[parts.length - 2]}/${parts[parts.length - 1].replace(/\.[^.]+$/, '')}`;
};
const readings = new Map(clis.map((cli) => [cli, new Map(analyze(cli, ['--files-from', list]).map((r) => [keyOf(r.source.path), r]))]));
const first = readings.get(clis[0]);
const sectionOf = (dir, id, unit) => {
  const p = passageAt(first.get(`${dir}/${id}`), unit);
  return p && p.headingPath.length ? p.headingPath[p.headingPath.length - 1] : undefined;
};

for (const layout of ['rowspan', 'first', 'repeat']) {
  const ledgers = buildLedgers(corpus, ['问题', '整改措施'], { header: '问题类别', of: sectionOf, layout });
  const dir = join(tmp, layout);
  rmSync(dir, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', dir]);
  for (const l of ledgers) writeFileSync(join(dir, l.name), l.html);
  const byName = new Map(ledgers.map((l) => [l.name, l]));
  const withSection = ledgers.reduce((n, l) => n + l.cells.filter((c) => c.column === 1 && sectionOf(...l.name.replace(/\.html$/, '').split(/-(.*)/s).slice(0, 2), c.unit)).length, 0);
  console.log(`layout ${layout}: ${ledgers.length} ledgers, ${withSection} problem cells with a section`);
  for (const cli of clis) {
    const own = readings.get(cli);
    const tally = newTally();
    const problems = { cat: { tp: 0, fp: 0, fn: 0 }, agree: 0, all: 0 };
    for (const r of analyze(cli, [dir])) {
      const ledger = byName.get(r.source.path.split('/').pop());
      const [d, id] = ledger.name.replace(/\.html$/, '').split(/-(.*)/s);
      // Score the problem column alone: a tally of its own for the category F1, and agreement with the text's reading.
      const one = newTally();
      scoreLedger(r, ledger, one);
      scoreLedger(r, ledger, tally);
      let pi = Math.max(0, r.passages.findIndex((p) => p.text === '责任单位') + 1);
      for (const { column, unit } of ledger.cells) {
        while (pi < r.passages.length && r.passages[pi].text !== unit.text.trim()) pi++;
        if (pi >= r.passages.length) break;
        const p = r.passages[pi++];
        if (column !== 1) continue;
        const gold = new Set(unit.categories.map((x) => x.id));
        const read = new Set(p.categories.map((x) => x.id));
        for (const c of read) problems.cat[gold.has(c) ? 'tp' : 'fp']++;
        for (const c of gold) if (!read.has(c)) problems.cat.fn++;
        const inText = passageAt(own.get(`${d}/${id}`), unit);
        const textSet = new Set((inText?.categories ?? []).map((x) => x.id));
        problems.all++;
        if (textSet.size === read.size && [...read].every((c) => textSet.has(c))) problems.agree++;
      }
    }
    console.log(`  ${cli}\n    problem column: category micro-F1 ${f1(problems.cat).toFixed(3)} (tp ${problems.cat.tp}, fp ${problems.cat.fp}, fn ${problems.cat.fn}); same categories as in the text: ${problems.agree} of ${problems.all} (${(problems.agree / problems.all).toFixed(3)}); all cells: category ${f1(tally.cat).toFixed(3)}, root cause ${f1(tally.rc).toFixed(3)}`);
  }
}
rmSync(tmp, { recursive: true, force: true });
