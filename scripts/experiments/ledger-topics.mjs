// What a ledger's category column (问题类别) adds to the labels of the problems in its rows. From the gold units of the
// real corpus's tuning part and of dev (never the held-out part), one rectification ledger (整改台账) a text, in HTML
// (ledgers.mjs): 序号 | 问题类别 | 问题 | 整改措施 | 责任单位, the text's gold problem units down 问题 and its gold measure
// units down 整改措施, and in 问题类别 the section heading each problem stands under when its text is read as it is
// (the nearest entry of its passage's headingPath, read by the first build given), as a real ledger carries the section
// of the report a problem comes from. Each build reads the ledgers in three layouts of that column (a merged cell over a
// run of rows, the first row of a run only, every row) and in a fourth without it, the section's title in a row merged
// across the table before its run (`across`; `across-plain` without the title's numbering; `across-numbered` with the
// number in the 序号 cell and the title across the other columns; `LAYOUTS=a,b` reads only those), and each problem cell is scored against its gold unit
// (category micro-F1) and against the categories the same build gives the unit in the text itself (units whose
// category sets agree). The ledgers go to a temporary folder and are deleted.
//
//   node scripts/experiments/ledger-topics.mjs BUILD_CLI...
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedgers, f1, indexRows, newTally, passageAt, scoreLedger } from './ledgers.mjs';

const clis = process.argv.slice(2);
if (clis.length === 0) throw new Error('usage: node scripts/experiments/ledger-topics.mjs BUILD_CLI...');
const corpus = new URL('../../../shared/corpus/', import.meta.url).pathname;
const texts = [
  ...indexRows(join(corpus, 'real/index.tsv')).filter((r) => r.part === 'tuning').map((r) => join(corpus, 'real', `${r.id}.txt`)),
  ...indexRows(join(corpus, 'dev/index.tsv')).map((r) => join(corpus, 'dev', `${r.id}.txt`)),
];
const tmp = mkdtempSync(join(tmpdir(), 'ledger-topics-'));
const list = join(tmp, 'texts.lst');
writeFileSync(list, texts.join('\n') + '\n');
const analyze = (cli, args) => execFileSync(process.execPath, [cli, 'analyze', ...args, '-f', 'jsonl', '-q', '--jobs', '1'], { maxBuffer: 1 << 30, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.passages);
// A report's key: `dir/id` of its text, or of the ledger built from it (`dir-id.html`).
const keyOf = (path) => {
  const parts = path.split('/');
  return `${parts[parts.length - 2]}/${parts[parts.length - 1].replace(/\.[^.]+$/, '')}`;
};
const ledgerKey = (name) => name.replace(/\.html$/, '').replace('-', '/');
const readings = new Map(clis.map((cli) => [cli, new Map(analyze(cli, ['--files-from', list]).map((r) => [keyOf(r.source.path), r]))]));
const first = readings.get(clis[0]);
const sectionOf = (dir, id, unit) => passageAt(first.get(`${dir}/${id}`), unit)?.headingPath.at(-1);

for (const layout of (process.env.LAYOUTS ?? 'rowspan,first,repeat,across,across-plain,across-numbered').split(',')) {
  const ledgers = buildLedgers(corpus, ['问题', '整改措施'], { header: '问题类别', of: sectionOf, layout });
  const dir = join(tmp, layout);
  mkdirSync(dir);
  for (const l of ledgers) writeFileSync(join(dir, l.name), l.html);
  const byName = new Map(ledgers.map((l) => [l.name, l]));
  const withSection = ledgers.reduce((n, l) => n + l.cells.filter((c) => c.column === 1 && sectionOf(...ledgerKey(l.name).split('/'), c.unit)).length, 0);
  console.log(`layout ${layout}: ${ledgers.length} ledgers, ${withSection} problem cells with a section`);
  for (const cli of clis) {
    const own = readings.get(cli);
    const tally = newTally();
    let agree = 0;
    for (const r of analyze(cli, [dir])) {
      const ledger = byName.get(r.source.path.split('/').pop());
      const text = own.get(ledgerKey(ledger.name));
      scoreLedger(r, ledger, tally, (column, unit, p) => {
        if (column !== 1) return;
        // The same categories as the unit has where its text is read.
        const inText = new Set((passageAt(text, unit)?.categories ?? []).map((x) => x.id));
        const read = new Set(p.categories.map((x) => x.id));
        if (inText.size === read.size && [...read].every((id) => inText.has(id))) agree++;
      });
    }
    const problems = tally.byColumn[1];
    const { tp, fp, fn } = problems.cat;
    console.log(`  ${cli}\n    problem column: category micro-F1 ${f1(problems.cat).toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn}); same categories as in the text: ${agree} of ${problems.all} (${(agree / problems.all).toFixed(3)}); all cells: category ${f1(tally.cat).toFixed(3)}, root cause ${f1(tally.rc).toFixed(3)}; measure column: category micro-F1 ${f1(tally.byColumn[2].cat).toFixed(3)}; function accuracy problem / measure column ${(problems.right / problems.all).toFixed(3)} / ${(tally.byColumn[2].right / tally.byColumn[2].all).toFixed(3)}`);
  }
}
rmSync(tmp, { recursive: true, force: true });
