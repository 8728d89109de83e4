// Rectification ledgers (整改台账) built from gold, for measuring what a table's column headers add (see
// ledger-columns.mjs and test/ledger-columns.test.ts). Only the real corpus's tuning part and dev are read, never its
// held-out part; nothing of the texts is written into the project.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const UNITS = ['县纪委监委', '县委组织部', '县财政局', '县委巡察办', '县审计局'];

/** The rows of an index.tsv, as objects keyed by its header. */
export function indexRows(index) {
  const [head, ...lines] = readFileSync(index, 'utf8').trim().split('\n');
  const keys = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [keys[i], v])));
}

/**
 * One HTML ledger per text of `corpusDir`'s real tuning part and dev with two gold `problem` units or more and two gold
 * `measure` units or more: rows 序号 | PROBLEM-HEADER | MEASURE-HEADER | 责任单位, the text's problem units down the
 * problem column and its measure units down the measure column, in order (a column runs out with empty cells); without
 * a header row when `headers` is null. Each ledger: `{ name, kind, html, cells }`, `cells` the gold units in reading
 * order with their column (1 problem, 2 measure).
 *
 * With `topic` (`{ header, of(dir, id, unit), layout }`) the ledger has a category column (问题类别) after 序号, which
 * a real ledger fills with the section of the report a problem comes from: `of` gives the text of a problem unit's
 * section (or undefined), and `layout` says how a run of rows of one section shows it: `rowspan` (one merged cell, as
 * a ledger drawn in Word or HTML), `first` (the first row only, the cells below left empty, as a sheet often is) or
 * `repeat` (every row). The cells' columns keep their numbers (1 problem, 2 measure).
 */
export function buildLedgers(corpusDir, headers, topic, group) {
  const docs = [
    ...indexRows(join(corpusDir, 'real/index.tsv')).filter((r) => r.part === 'tuning').map((r) => ({ dir: 'real', ...r })),
    ...indexRows(join(corpusDir, 'dev/index.tsv')).map((r) => ({ dir: 'dev', ...r })),
  ];
  const out = [];
  for (const d of docs) {
    const gold = JSON.parse(readFileSync(join(corpusDir, d.dir, `${d.id}.gold.json`), 'utf8'));
    const clean = (u) => !/[\n\r\t]/.test(u.text.trim()) && u.text.trim().length > 0;
    const problems = gold.units.filter((u) => u.function === 'problem' && clean(u));
    const measures = gold.units.filter((u) => u.function === 'measure' && clean(u));
    if (problems.length < 2 || measures.length < 2) continue;
    const cells = [];
    let body = '';
    const rows = Math.max(problems.length, measures.length);
    const sections = topic ? Array.from({ length: rows }, (_, k) => (problems[k] ? topic.of(d.dir, d.id, problems[k]) : undefined) ?? '') : [];
    for (let k = 0; k < rows; k++) {
      const p = problems[k];
      const m = measures[k];
      if (p) cells.push({ column: 1, unit: p });
      if (m) cells.push({ column: 2, unit: m });
      let section = '';
      let across = '';
      if (topic) {
        const run = k === 0 || sections[k] !== sections[k - 1];
        // A row of the section's title merged across the table before its run (no category column).
        // `across-plain`: the same, the title's numbering (一、, （二）, 3.) left out; `across-numbered`: its number in the
        // 序号 cell (一, （二）, 3; empty when it has none), the title without it merged across the other columns.
        const numbering = /^\s*(?:([（(][一二三四五六七八九十\d]+[)）])|([一二三四五六七八九十\d]+)[、.．])\s*/.exec(sections[k]);
        const title = topic.layout === 'across' ? sections[k] : sections[k].slice(numbering?.[0].length ?? 0);
        if (topic.layout === 'across-numbered') across = run && title ? `<tr><td>${esc(numbering?.[1] ?? numbering?.[2] ?? '')}</td><td colspan="3">${esc(title)}</td></tr>\n` : '';
        else if (topic.layout.startsWith('across')) across = run && title ? `<tr><td colspan="4">${esc(title)}</td></tr>\n` : '';
        else if (topic.layout === 'repeat') section = `<td>${esc(sections[k])}</td>`;
        else if (topic.layout === 'first') section = `<td>${run ? esc(sections[k]) : ''}</td>`;
        else if (run) {
          let n = 1;
          while (k + n < rows && sections[k + n] === sections[k]) n++;
          section = `<td${n > 1 ? ` rowspan="${n}"` : ''}>${esc(sections[k])}</td>`;
        }
      }
      body += `${across}<tr><td>${k + 1}</td>${section}<td>${p ? esc(p.text.trim()) : ''}</td><td>${m ? esc(m.text.trim()) : ''}</td><td>${UNITS[k % UNITS.length]}</td></tr>\n`;
    }
    // With `group`, two header rows: the group header across the problem and measure columns, their headers under it.
    const down = group ? ' rowspan="2"' : '';
    const topicHead = topic && !topic.layout.startsWith('across') ? `<th${down}>${esc(topic.header)}</th>` : '';
    const pair = `<th>${esc(headers?.[0] ?? '')}</th><th>${esc(headers?.[1] ?? '')}</th>`;
    const head = !headers
      ? ''
      : group
        ? `<thead><tr><th${down}>序号</th>${topicHead}<th colspan="2">${esc(group)}</th><th${down}>责任单位</th></tr><tr>${pair}</tr></thead>`
        : `<thead><tr><th>序号</th>${topicHead}${pair}<th>责任单位</th></tr></thead>`;
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body><p>整改落实情况台账</p>\n<table>${head}<tbody>\n${body}</tbody></table></body></html>`;
    out.push({ name: `${d.dir}-${d.id}.html`, kind: d.kind, html, cells });
  }
  return out;
}

/**
 * Scores a ledger's report against its gold cells, adding to `tally` (`{ byColumn: {1, 2}: {right, all, cat}, cat, rc,
 * confusion }`): each gold cell is the next passage whose text is the unit's after the header row (read in order), and
 * `onCell(column, unit, passage)` is called with it.
 * Returns how many of the ledger's cells were found.
 */
export function scoreLedger(report, ledger, tally, onCell) {
  const passages = report.passages;
  let pi = Math.max(0, passages.findIndex((p) => p.text === '责任单位') + 1);
  let found = 0;
  for (const { column, unit } of ledger.cells) {
    while (pi < passages.length && passages[pi].text !== unit.text.trim()) pi++;
    if (pi >= passages.length) break;
    const p = passages[pi++];
    found++;
    const c = (tally.byColumn[column] ??= { right: 0, all: 0, cat: { tp: 0, fp: 0, fn: 0 } });
    c.all++;
    if (p.function === unit.function) c.right++;
    const key = `${unit.function}→${p.function}`;
    tally.confusion[key] = (tally.confusion[key] ?? 0) + 1;
    const pairs = (gold, read, counts) => {
      for (const id of read) counts[gold.has(id) ? 'tp' : 'fp']++;
      for (const id of gold) if (!read.has(id)) counts.fn++;
    };
    const [gold, read] = [new Set(unit.categories.map((x) => x.id)), new Set(p.categories.map((x) => x.id))];
    pairs(gold, read, tally.cat);
    pairs(gold, read, c.cat);
    pairs(new Set(unit.rootCauses), new Set(p.rootCauses.map((x) => x.id)), tally.rc);
    onCell?.(column, unit, p);
  }
  return found;
}

/** An empty tally for {@link scoreLedger}. */
export const newTally = () => ({ byColumn: {}, cat: { tp: 0, fp: 0, fn: 0 }, rc: { tp: 0, fp: 0, fn: 0 }, confusion: {} });
/** Micro-F1 of pair counts. */
export const f1 = ({ tp, fp, fn }) => (2 * tp) / (2 * tp + fp + fn || 1);

/** The passage of a text's report that holds a gold unit's midpoint, as `xunshi eval` maps them. */
export function passageAt(report, unit) {
  const mid = unit.start + Math.floor((unit.end - unit.start) / 2);
  return report.passages.find((p) => p.start <= mid && mid < p.end);
}
