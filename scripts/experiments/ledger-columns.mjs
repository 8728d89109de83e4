// What a ledger's column headers add to the labels of its cells. From the gold units of the real corpus's tuning part
// and of dev (never the held-out part), one rectification ledger (整改台账) a text, in HTML: rows 序号 | PROBLEM-HEADER |
// MEASURE-HEADER | 责任单位, the text's gold `problem` units down the problem column and its gold `measure` units down
// the measure column, in their order (a column runs out with empty cells). Each build given reads every ledger, and each
// cell's passage is scored against the gold unit it holds: function accuracy by column, category and root-cause
// micro-F1. Nothing of the texts is written into the project: the ledgers go to a temporary folder and are deleted.
//
//   node scripts/experiments/ledger-columns.mjs BUILD_CLI... [--headers 问题,整改措施]
//
// BUILD_CLI: a xunshi CLI (packages/xunshi/bin/xunshi.js of a built checkout), e.g. this one and an older one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--headers');
const [problemHeader, measureHeader] = at >= 0 ? args[at + 1].split(',') : ['问题', '整改措施'];
const clis = at < 0 ? args : args.filter((a, i) => i !== at && i !== at + 1);
const shared = new URL('../../../shared/corpus/', import.meta.url).pathname;

function rowsOf(index) {
  const [head, ...lines] = readFileSync(index, 'utf8').trim().split('\n');
  const keys = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v])));
}
const docs = [
  ...rowsOf(join(shared, 'real/index.tsv')).filter((r) => r.part === 'tuning').map((r) => ({ dir: 'real', ...r })),
  ...rowsOf(join(shared, 'dev/index.tsv')).map((r) => ({ dir: 'dev', ...r })),
];
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const UNITS = ['县纪委监委', '县委组织部', '县财政局', '县委巡察办', '县审计局'];
const out = mkdtempSync(join(tmpdir(), 'ledgers-'));
// By ledger file: the gold unit of each (row, column).
const goldOf = new Map();
let made = 0;
for (const d of docs) {
  const gold = JSON.parse(readFileSync(join(shared, d.dir, `${d.id}.gold.json`), 'utf8'));
  const clean = (u) => !/[\n\r\t]/.test(u.text.trim()) && u.text.trim().length > 0;
  const problems = gold.units.filter((u) => u.function === 'problem' && clean(u));
  const measures = gold.units.filter((u) => u.function === 'measure' && clean(u));
  if (problems.length < 2 || measures.length < 2) continue;
  const n = Math.max(problems.length, measures.length);
  const cells = new Map();
  let body = '';
  for (let k = 0; k < n; k++) {
    const p = problems[k];
    const m = measures[k];
    if (p) cells.set(`${k + 1}:1`, p);
    if (m) cells.set(`${k + 1}:2`, m);
    body += `<tr><td>${k + 1}</td><td>${p ? esc(p.text.trim()) : ''}</td><td>${m ? esc(m.text.trim()) : ''}</td><td>${UNITS[k % UNITS.length]}</td></tr>\n`;
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body><p>整改落实情况台账</p>\n<table><thead><tr><th>序号</th><th>${esc(problemHeader)}</th><th>${esc(measureHeader)}</th><th>责任单位</th></tr></thead><tbody>\n${body}</tbody></table></body></html>`;
  const file = `${d.dir}-${d.id}.html`;
  writeFileSync(join(out, file), html);
  goldOf.set(file, { kind: d.kind, cells });
  made++;
}

const f1 = ({ tp, fp, fn }) => (2 * tp) / (2 * tp + fp + fn || 1);
for (const cli of clis) {
  const jsonl = execFileSync(process.execPath, [cli, 'analyze', out, '-f', 'jsonl', '-q', '--jobs', '1'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const byColumn = { 1: { right: 0, all: 0 }, 2: { right: 0, all: 0 } };
  const cat = { tp: 0, fp: 0, fn: 0 };
  const rc = { tp: 0, fp: 0, fn: 0 };
  const confusion = {};
  for (const line of jsonl.trim().split('\n')) {
    const r = JSON.parse(line);
    if (!r.passages) continue;
    const g = goldOf.get(r.source.path.split('/').pop());
    // The cells in reading order: rows after the header, columns 1 and 2 (an empty cell has no passage).
    const order = [...g.cells.keys()].sort((a, b) => a.split(':')[0] - b.split(':')[0] || a.split(':')[1] - b.split(':')[1]);
    // The passages of the table's body cells, in order, whatever the build says of cells: those that are a gold cell's text.
    let i = 0;
    const passages = r.passages;
    let pi = passages.findIndex((p) => p.text === '责任单位') + 1;
    for (const key of order) {
      const unit = g.cells.get(key);
      while (pi < passages.length && passages[pi].text !== unit.text.trim()) pi++;
      if (pi >= passages.length) break;
      const p = passages[pi++];
      i++;
      const column = key.split(':')[1];
      byColumn[column].all++;
      if (p.function === unit.function) byColumn[column].right++;
      const c = `${unit.function}→${p.function}`;
      confusion[c] = (confusion[c] ?? 0) + 1;
      const gc = new Set(unit.categories.map((c) => c.id));
      const pc = new Set(p.categories.map((c) => c.id));
      for (const id of pc) cat[gc.has(id) ? 'tp' : 'fp']++;
      for (const id of gc) if (!pc.has(id)) cat.fn++;
      const gr = new Set(unit.rootCauses);
      const pr = new Set(p.rootCauses.map((x) => x.id));
      for (const id of pr) rc[gr.has(id) ? 'tp' : 'fp']++;
      for (const id of gr) if (!pr.has(id)) rc.fn++;
    }
    if (i !== order.length) console.error(`${r.source.path}: ${i} of ${order.length} cells found`);
  }
  const acc = (c) => (c.right / c.all).toFixed(3);
  console.log(`${cli}\n  ${made} ledgers (${problemHeader} | ${measureHeader}); function accuracy: ${problemHeader} column ${acc(byColumn[1])} (${byColumn[1].all} cells), ${measureHeader} column ${acc(byColumn[2])} (${byColumn[2].all}); category micro-F1 ${f1(cat).toFixed(3)}, root cause ${f1(rc).toFixed(3)}`);
  console.log(`  gold→read: ${Object.entries(confusion).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
rmSync(out, { recursive: true, force: true });
