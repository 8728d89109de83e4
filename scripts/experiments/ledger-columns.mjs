// What a ledger's column headers add to the labels of its cells. From the gold units of the real corpus's tuning part
// and of dev (never the held-out part), one rectification ledger (整改台账) a text, in HTML (ledgers.mjs): rows 序号 |
// PROBLEM-HEADER | MEASURE-HEADER | 责任单位, the text's gold `problem` units down the problem column and its gold
// `measure` units down the measure column. Each build given reads every ledger, and each cell's passage is scored
// against the gold unit it holds: function accuracy by column, category and root-cause micro-F1. The ledgers go to a
// temporary folder and are deleted.
//
//   node scripts/experiments/ledger-columns.mjs BUILD_CLI... [--headers 问题,整改措施] [--group 问题及整改情况]
//
// With --group, the ledger has two header rows: the group header across the two columns, their headers under it.
// BUILD_CLI: a xunshi CLI (packages/xunshi/bin/xunshi.js of a built checkout), e.g. this one and an older one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedgers, f1, newTally, scoreLedger } from './ledgers.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const headers = option('--headers')?.split(',') ?? ['问题', '整改措施'];
const group = option('--group');
const clis = args;
const ledgers = buildLedgers(new URL('../../../shared/corpus/', import.meta.url).pathname, headers, undefined, group);
const out = mkdtempSync(join(tmpdir(), 'ledgers-'));
for (const l of ledgers) writeFileSync(join(out, l.name), l.html);
const byName = new Map(ledgers.map((l) => [l.name, l]));

for (const cli of clis) {
  const jsonl = execFileSync(process.execPath, [cli, 'analyze', out, '-f', 'jsonl', '-q', '--jobs', '1'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const tally = newTally();
  for (const line of jsonl.trim().split('\n')) {
    const r = JSON.parse(line);
    if (!r.passages) continue;
    const ledger = byName.get(r.source.path.split('/').pop());
    const found = scoreLedger(r, ledger, tally);
    if (found !== ledger.cells.length) console.error(`${r.source.path}: ${found} of ${ledger.cells.length} cells found`);
  }
  const acc = (c) => (c.right / c.all).toFixed(3);
  const [p, m] = [tally.byColumn[1], tally.byColumn[2]];
  console.log(`${cli}\n  ${ledgers.length} ledgers (${group ? `${group}: ` : ''}${headers[0]} | ${headers[1]}); function accuracy: ${headers[0]} column ${acc(p)} (${p.all} cells), ${headers[1]} column ${acc(m)} (${m.all}); category micro-F1 ${f1(tally.cat).toFixed(3)}, root cause ${f1(tally.rc).toFixed(3)}`);
  console.log(`  gold→read: ${Object.entries(tally.confusion).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
rmSync(out, { recursive: true, force: true });
