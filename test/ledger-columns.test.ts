import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Passage, type Report } from 'xunshi';
import { parseCsv } from './support/csv.js';
import { saveAs, signature, SOFFICE } from './support/libreoffice.js';
import { REPO_DIR, SHARED_DIR, hasShared } from './support/shared.js';
import { makeXlsx } from '../packages/document/test/support/fixtures.js';
import { makeFodt, odfText } from '../packages/document/test/support/odt-fixtures.js';
import { makeXls } from '../packages/document/test/support/xls-fixtures.js';
import { buildLedgers, f1, newTally, passageAt, scoreLedger } from '../scripts/experiments/ledgers.mjs';

// A table's column headers as the headings of the cells below them (engine: outline.ts; rules: headings/columns.yaml).
const analyzer = createAnalyzer();
const read = (html: string): Report => analyzer.analyze(new TextEncoder().encode(html), { path: 'ledger.html' });
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const table = (rows: string[][], head = false): string =>
  `<table>${rows.map((r, i) => `<tr>${r.map((c) => (head && i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</table>`;
/** The passages of `report` whose text is `text`: the cell's first, then the paragraph's. */
const passagesOf = (report: Report, text: string): Passage[] => report.passages.filter((p) => p.text === text);
/** The text each piece of a passage's function evidence points at. */
const cited = (report: Report, p: Passage): string[] => p.functionEvidence.map((e) => report.source.text!.slice(e.start, e.end));

describe('a ledger column header announces the function of the cells below it', () => {
  it('a measure without a modal verb in an 整改措施 column is a measure, citing the header; the same sentence as a paragraph is not', () => {
    const rows = [['1', '违规发放津补贴18万元。', '全额清退。']];
    const report = read(`<p>整改台账</p>${table([['序号', '问题', '整改措施'], ...rows], true)}`);
    const cell = passagesOf(report, '全额清退。')[0]!;
    expect(cell.cell).toEqual({ table: 0, row: 1, column: 2, header: '整改措施' });
    expect(cell.function).toBe('measure');
    expect(cited(report, cell)).toContain('整改措施');
    // The same row in a table without a header row.
    const bare = read(`<p>整改台账</p>${table(rows)}`);
    const without = passagesOf(bare, '全额清退。')[0]!;
    expect(without.cell).toEqual({ table: 0, row: 0, column: 2 });
    expect(without.function).toBe('context');
  });
  it('问题 and 完成情况 announce only as a header cell (a header row found by its shape, without <th>)', () => {
    const report = read(`<p>整改台账</p>${table([['序号', '问题', '整改措施', '完成情况'], ['1', '个别党支部“三会一课”记录不全。', '对照清单逐项补齐会议记录。', '持续推进。']])}`);
    const problem = passagesOf(report, '个别党支部“三会一课”记录不全。')[0]!;
    expect(problem.function).toBe('problem');
    expect(problem.functionEvidence.map((e) => e.rule)).toContain('columns.problems');
    expect(cited(report, problem)).toContain('问题');
    const done = passagesOf(report, '持续推进。')[0]!;
    expect(done.functionEvidence.map((e) => e.rule)).toContain('columns.measures');
  });
  it('a section heading 问题 is no column header: the column rules never fire outside a header row', () => {
    const text = '问题\n个别党支部“三会一课”记录不全。\n完成情况\n持续推进。\n';
    const report = analyzer.analyze(new TextEncoder().encode(text), { path: 'a.txt' });
    const rules = report.passages.flatMap((p) => [...p.functionEvidence, ...p.categories.flatMap((c) => c.evidence)].map((e) => e.rule));
    expect(rules.filter((r) => r.startsWith('columns.'))).toEqual([]);
    expect(report.passages.every((p) => p.cell === undefined)).toBe(true);
  });
  it('a header without a function (责任单位) leaves its cells to the section heading above the table', () => {
    const report = read(`<h2>一、存在的主要问题</h2>${table([['序号', '责任单位', '说明'], ['1', '县财政局', '个别党支部“三会一课”记录不全。']], true)}`);
    const p = passagesOf(report, '个别党支部“三会一课”记录不全。')[0]!;
    expect(p.cell).toEqual({ table: 0, row: 1, column: 2, header: '说明' });
    expect(p.function).toBe('problem');
  });
  it('a cell takes the topic of its section heading, not of its column header', () => {
    const withColumn = read(`<p>巡察整改落实情况</p><h2>（一）关于选人用人方面的问题</h2>${table([['序号', '问题'], ['1', '此类问题在个别单位较为突出。']], true)}`);
    const withoutColumn = read(`<p>巡察整改落实情况</p><h2>（一）关于选人用人方面的问题</h2><p>此类问题在个别单位较为突出。</p>`);
    const cats = (r: Report): string[] => passagesOf(r, '此类问题在个别单位较为突出。')[0]!.categories.map((c) => c.id);
    expect(cats(withoutColumn)).toEqual(['organizational']);
    expect(cats(withColumn)).toEqual(cats(withoutColumn));
  });
});

describe('a ledger with two header rows: the sub-headers under a grouping header cell announce the function of their columns', () => {
  // 序号 | 问题及整改 (具体问题 | 整改举措) | 责任单位: the group header announces two functions, its sub-headers one each.
  const rows = [
    ['1', '违规发放津补贴18万元。', '全额清退。', '县财政局'],
    ['2', '部分科室会议多、文件多，基层反映强烈。', '精简会议文件。', '县委办'],
  ];
  const check = (r: Report, label: string): void => {
    expect(passagesOf(r, '具体问题')[0]!.cell?.isHeader, label).toBe(true);
    expect(passagesOf(r, '整改举措')[0]!.cell?.isHeader, label).toBe(true);
    const measure = passagesOf(r, '全额清退。')[0]!;
    expect(measure.cell?.header, label).toBe('整改举措');
    expect(measure.function, label).toBe('measure');
    expect(cited(r, measure), label).toContain('整改举措');
    const problem = passagesOf(r, '部分科室会议多、文件多，基层反映强烈。')[0]!;
    expect(problem.cell?.header, label).toBe('具体问题');
    expect(cited(r, problem), label).toContain('具体问题');
  };
  it('in a web page (rowspan and colspan)', () => {
    const html =
      `<p>巡察反馈问题整改台账</p><table><tr><th rowspan="2">序号</th><th colspan="2">问题及整改</th><th rowspan="2">责任单位</th></tr>` +
      `<tr><th>具体问题</th><th>整改举措</th></tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
    check(read(html), 'html');
  });
  it('in a workbook, merged (.xlsx, .xls) or with the cell beside the group header left empty (.csv)', async () => {
    const sheet = [['序号', '问题及整改', '', '责任单位'], ['', '具体问题', '整改举措', ''], ...rows];
    const csv = sheet.map((r) => r.map((c) => (c.includes(',') || c.includes('，') ? `"${c}"` : c)).join(',')).join('\n') + '\n';
    const inputs: [string, Uint8Array][] = [
      ['ledger.xlsx', await makeXlsx([{ name: '台账', rows: sheet, merges: ['A1:A2', 'B1:C1', 'D1:D2'] }])],
      ['ledger.xls', makeXls([{ name: '台账', rows: sheet, merges: [[0, 1, 0, 0], [0, 0, 1, 2], [0, 1, 3, 3]] }])],
      ['ledger.csv', new TextEncoder().encode(csv)],
    ];
    for (const [path, bytes] of inputs) check(analyzer.analyze(bytes, { path }), path);
  });
});

describe('a section title merged across a ledger heads the rows below it, as a heading does', () => {
  const titles: [string, (n: string, t: string) => string, (n: string, t: string) => string][] = [
    ['一、作风建设方面 merged across the table', (n, t) => `<tr><td colspan="4">${n}、${t}</td></tr>`, (n, t) => `${n}、${t}`],
    ['一 in 序号, 作风建设方面 merged across the other columns', (n, t) => `<tr><td>${n}</td><td colspan="3">${t}</td></tr>`, (n, t) => `${n}\t${t}`],
  ];
  it.each(titles)('%s: a problem below without words of its area takes it, citing the title; the title itself is context', (_, titleRow, line) => {
    const TERSE = '部分科室会议多、文件多，基层反映强烈。';
    const r = read(
      `<p>巡察反馈问题整改台账</p><table><tr><th>序号</th><th>问题</th><th>整改措施</th><th>责任单位</th></tr>` +
        titleRow('一', '作风建设方面') +
        `<tr><td>1</td><td>有的干部在接待中超出标准，一年内3次安排同城宴请。</td><td>全额清退。</td><td>县财政局</td></tr>` +
        `<tr><td>2</td><td>${TERSE}</td><td>精简会议文件。</td><td>县委办</td></tr>` +
        titleRow('二', '选人用人方面') +
        `<tr><td>3</td><td>有的档案材料归档不完整。</td><td>补齐材料。</td><td>县委组织部</td></tr></table>`,
    );
    const terse = passagesOf(r, TERSE)[0]!;
    expect(terse.cell).toEqual({ table: 0, row: 2, column: 1, header: '问题' });
    expect(terse.categories.map((c) => c.id)).toEqual(['conduct']);
    expect(terse.categories[0]!.evidence.map((e) => r.source.text!.slice(e.start, e.end))).toEqual(['作风建设']);
    expect(terse.headingPath).toEqual([line('一', '作风建设方面')]);
    expect(passagesOf(r, '有的档案材料归档不完整。')[0]!.categories.map((c) => c.id)).toEqual(['organizational']);
    const title = passagesOf(r, line('二', '选人用人方面'))[0]!;
    expect(title.cell).toBeUndefined();
    expect(title.function).toBe('context');
  });

  it('--format csv gives each cell the section title it stands under (heading_path), a tab of the title line a space', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-ledger-csv-'));
    try {
      writeFileSync(
        join(dir, 'ledger.html'),
        `<p>巡察反馈问题整改台账</p><table><tr><th>序号</th><th>问题</th><th>整改措施</th><th>责任单位</th></tr>${titles[1]![1]('一', '作风建设方面')}` +
          `<tr><td>1</td><td>部分科室会议多、文件多，基层反映强烈。</td><td>精简会议文件。</td><td>县委办</td></tr></table>`,
      );
      const run = spawnSync(process.execPath, [join(REPO_DIR, 'packages/xunshi/bin/xunshi.js'), 'analyze', join(dir, 'ledger.html'), '--format', 'csv', '--jobs', '1', '--quiet'], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const rows = parseCsv(run.stdout.replace(/^\uFEFF/, ''));
      const at = rows[0]!.indexOf('heading_path');
      const row = rows.find((r) => r[r.length - 1] === '部分科室会议多、文件多，基层反映强烈。')!;
      expect([row[rows[0]!.indexOf('column_header')], row[at]]).toEqual(['问题', '一 作风建设方面']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// LibreOffice writes Word 97, RTF, Word and PDF as Word does: a cell merged across columns is one wide cell of its row,
// and a PDF page draws each cell's text before the rules around it. The ledger is written as a flat OpenDocument text
// (cells with borders, a title merged across, one after 序号, a cell across two columns) and saved in each format. Run
// where LibreOffice is installed (Debian: libreoffice-writer-nogui); skipped, saying so, where it is not.
const flatOdt = (rows: [string, number][][]): Uint8Array => {
  const cell = ([text, span]: [string, number]): string =>
    `<table:table-cell table:style-name="C"${span > 1 ? ` table:number-columns-spanned="${span}"` : ''} office:value-type="string"><text:p>${text}</text:p></table:table-cell>` +
    '<table:covered-table-cell/>'.repeat(span - 1);
  const width = (name: string, cm: number): string => `<style:style style:name="${name}" style:family="table-column"><style:table-column-properties style:column-width="${cm}cm"/></style:style>`;
  return makeFodt(
    '<text:p>巡察反馈问题整改台账</text:p><table:table table:name="T1" table:style-name="T"><table:table-column table:style-name="A"/><table:table-column table:style-name="B"/>' +
      '<table:table-column table:style-name="D"/><table:table-column table:style-name="E"/>' +
      `${rows.map((r) => `<table:table-row>${r.map(cell).join('')}</table:table-row>`).join('')}</table:table>`,
    {
      automaticStyles:
        '<style:style style:name="C" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>' +
        '<style:style style:name="T" style:family="table"><style:table-properties style:width="16cm" table:align="left"/></style:style>' +
        `${width('A', 1.5)}${width('B', 6)}${width('D', 5)}${width('E', 3.5)}`,
    },
  );
};
describe.skipIf(!SOFFICE)(`a ledger saved by LibreOffice as Word 97 (.doc), RTF, Word (.docx) and PDF${SOFFICE ? '' : ' (skipped: LibreOffice is not installed)'}`, () => {
  it('reads its section titles merged across as lines heading the rows, and a cell merged across two columns as spanning them, in every format alike', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-lo-'));
    try {
      writeFileSync(
        join(dir, 'ledger.fodt'),
        flatOdt([
          [['序号', 1], ['问题', 1], ['整改措施', 1], ['责任单位', 1]],
          [['一、作风建设方面', 4]],
          [['1', 1], ['部分科室会议多、文件多，基层反映强烈。', 1], ['精简会议文件。', 1], ['县委办', 1]],
          [['二', 1], ['选人用人方面', 3]],
          [['2', 1], ['有的档案材料归档不完整。', 1], ['补齐材料。', 1], ['县委组织部', 1]],
          [['3', 1], ['两项问题一并整改。', 2], ['县纪委监委', 1]],
        ]),
      );
      for (const [ext, filter] of [['doc', 'doc:MS Word 97'], ['rtf', 'rtf'], ['docx', 'docx:MS Word 2007 XML'], ['pdf', 'pdf']]) {
        saveAs(dir, filter!, ['ledger.fodt']);
        const r = await analyzer.analyzeAsync(readFileSync(join(dir, `ledger.${ext}`)), { path: `ledger.${ext}` });
        const terse = passagesOf(r, '部分科室会议多、文件多，基层反映强烈。')[0]!;
        expect([ext, terse.headingPath, terse.categories.map((c) => c.id)]).toEqual([ext, ['一、作风建设方面'], ['conduct']]);
        expect([ext, passagesOf(r, '有的档案材料归档不完整。')[0]!.headingPath]).toEqual([ext, ['二\t选人用人方面']]);
        expect([ext, passagesOf(r, '县纪委监委')[0]!.cell]).toEqual([ext, { table: 0, row: 3, column: 3, header: '责任单位' }]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!SOFFICE)(`sample reports saved by LibreOffice as .doc, .docx, RTF, .odt and PDF read as their .txt does${SOFFICE ? '' : ' (skipped: LibreOffice is not installed)'}`, () => {
  // Each passage's text (white space aside), function, labels and heading path: a reader that loses a heading, splits a
  // paragraph at a figure wrapped to the next line (7.1%，) or joins a section title to the paragraph above shows here.
  const SAMPLES = ['corpus/tuning/feedback-02.txt', 'corpus/tuning/analysis-01.txt', 'corpus/held-out/negative-h01.txt', 'corpus/held-out/negative-h02.txt', 'corpus/held-out/rectification-h03.txt'];
  it('every passage the same, in every format', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-lo-samples-'));
    try {
      for (const s of SAMPLES) writeFileSync(join(dir, s.split('/').pop()!), readFileSync(join(REPO_DIR, s)));
      const names = SAMPLES.map((s) => s.split('/').pop()!);
      for (const filter of ['doc:MS Word 97', 'docx:MS Word 2007 XML', 'rtf', 'odt', 'pdf']) {
        saveAs(dir, filter, names, ['--infilter=Text (encoded):UTF8,,,']);
      }
      for (const name of names) {
        const base = name.replace(/\.txt$/, '');
        const want = signature(await analyzer.analyzeAsync(readFileSync(join(dir, name)), { path: name }));
        for (const ext of ['doc', 'docx', 'rtf', 'odt', 'pdf']) {
          const got = signature(await analyzer.analyzeAsync(readFileSync(join(dir, `${base}.${ext}`)), { path: `${base}.${ext}` }));
          expect([`${base}.${ext}`, got]).toEqual([`${base}.${ext}`, want]);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!SOFFICE)(`every sample report saved by LibreOffice as PDF reads as its .txt does${SOFFICE ? '' : ' (skipped: LibreOffice is not installed)'}`, () => {
  // LibreOffice sets figures apart from Chinese by a fifth of the size and wraps them whole: a paragraph torn at a figure
  // wrapped to the next line, or read as a borderless table where those spaces line up down two lines, shows here.
  /**
   * A sample as a 公文 is set: each line a paragraph, justified, its first line indented two characters, 16pt on lines
   * 28pt apart. Punctuation does not hang: LibreOffice (7.x, Debian) leaves a mark it hangs at a justified line's end out
   * of the PDF altogether (no glyph is drawn, so no reader can find it), which would hide the reader's own errors here.
   */
  const gongwen = (text: string): Uint8Array =>
    makeFodt(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0)
        .map((l) => `<text:p text:style-name="P">${odfText(l)}</text:p>`)
        .join(''),
      {
        automaticStyles:
          '<style:style style:name="P" style:family="paragraph"><style:paragraph-properties style:punctuation-wrap="simple" fo:text-align="justify" fo:text-indent="32pt" fo:line-height="28pt"/>' +
          '<style:text-properties fo:font-size="16pt" style:font-size-asian="16pt"/></style:style>',
      },
    );
  it('every passage the same, in every sample, set flush left at 10pt (a text file opened) and as a 公文', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-lo-pdf-'));
    try {
      // The samples in UTF-8 (LibreOffice's text filter is told that encoding; the two in GB18030 are left out).
      const names: string[] = [];
      for (const part of ['tuning', 'held-out']) {
        for (const f of readdirSync(join(REPO_DIR, 'corpus', part)).filter((f) => f.endsWith('.txt') && !f.includes('-gbk')).sort()) {
          const name = `${part}-${f}`;
          names.push(name);
          const text = readFileSync(join(REPO_DIR, 'corpus', part, f));
          writeFileSync(join(dir, name), text);
          writeFileSync(join(dir, name.replace(/\.txt$/, '-gw.fodt')), gongwen(text.toString('utf8')));
        }
      }
      expect(names.length).toBeGreaterThanOrEqual(20);
      saveAs(dir, 'pdf', names, ['--infilter=Text (encoded):UTF8,,,']);
      saveAs(dir, 'pdf', names.map((n) => n.replace(/\.txt$/, '-gw.fodt')));
      for (const name of names) {
        const want = signature(await analyzer.analyzeAsync(readFileSync(join(dir, name)), { path: name }));
        for (const pdf of [name.replace(/\.txt$/, '.pdf'), name.replace(/\.txt$/, '-gw.pdf')]) {
          expect([pdf, signature(await analyzer.analyzeAsync(readFileSync(join(dir, pdf)), { path: pdf }))]).toEqual([pdf, want]);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a ledger's category column (问题类别) heads the problems in its rows", () => {
  const ledger = (body: string): Report =>
    read(`<p>巡察反馈问题整改台账</p><table><tr><th>序号</th><th>问题类别</th><th>具体问题</th><th>整改措施</th><th>责任单位</th></tr>${body}</table>`);
  const categoriesOf = (r: Report, text: string): string[] => passagesOf(r, text)[0]!.categories.map((c) => c.id);
  const TERSE = '部分科室会议多、文件多，基层反映强烈。';
  it('a problem without words of its area takes the area of the category cell merged down its rows, citing that cell', () => {
    const r = ledger(
      `<tr><td>1</td><td rowspan="2">作风建设方面</td><td>有的干部在接待中超出标准，一年内3次安排同城宴请。</td><td>全额清退。</td><td>县财政局</td></tr>` +
        `<tr><td>2</td><td>${TERSE}</td><td>精简会议文件。</td><td>县委办</td></tr>`,
    );
    const p = passagesOf(r, TERSE)[0]!;
    expect(p.function).toBe('problem');
    expect(p.categories.map((c) => c.id)).toEqual(['conduct']);
    const evidence = p.categories[0]!.evidence;
    expect(evidence.every((e) => e.rule.startsWith('topic:'))).toBe(true);
    expect(evidence.map((e) => r.source.text!.slice(e.start, e.end))).toEqual(['作风建设']);
    // The same problem as a paragraph under the ledger's title has none.
    const alone = read(`<p>巡察反馈问题整改台账</p><p>${TERSE}</p>`);
    expect(categoriesOf(alone, TERSE)).toEqual([]);
  });
  it('a category written in the first row of a run only heads the rows below it until the column has a cell again', () => {
    const r = ledger(
      `<tr><td>1</td><td>选人用人方面</td><td>个别干部提拔前考察不深不细。</td><td>严格执行考察制度。</td><td>县委组织部</td></tr>` +
        `<tr><td>2</td><td></td><td>有的档案材料归档不完整。</td><td>补齐材料。</td><td>县委组织部</td></tr>` +
        `<tr><td>3</td><td>其他方面</td><td>个别事项底数不清。</td><td>摸清底数。</td><td>县财政局</td></tr>`,
    );
    expect(categoriesOf(r, '有的档案材料归档不完整。')).toEqual(['organizational']);
    expect(categoriesOf(r, '个别事项底数不清。')).toEqual([]);
    // Measures do not take it (as under a section heading: topic.headingFunctions is empty).
    expect(categoriesOf(r, '补齐材料。')).toEqual([]);
  });
  it('in a workbook (.xlsx with the category merged down, .xls, .csv with the cells below left empty) as in a web page', async () => {
    const rows = [
      ['序号', '问题类别', '具体问题', '整改措施', '责任单位'],
      ['1', '作风建设方面', '有的干部在接待中超出标准，一年内3次安排同城宴请。', '全额清退。', '县财政局'],
      ['2', '', TERSE, '精简会议文件。', '县委办'],
      ['3', '选人用人方面', '有的档案材料归档不完整。', '补齐材料。', '县委组织部'],
    ];
    const csv = rows.map((r) => r.join(',')).join('\n') + '\n';
    const inputs: [string, Uint8Array][] = [
      ['ledger.xlsx', await makeXlsx([{ name: '台账', rows, merges: ['B2:B3'] }])],
      ['ledger.xls', makeXls([{ name: '台账', rows, merges: [[1, 2, 1, 1]] }])],
      ['ledger.csv', new TextEncoder().encode(csv)],
    ];
    for (const [path, bytes] of inputs) {
      const r = analyzer.analyze(bytes, { path });
      expect(categoriesOf(r, TERSE), path).toEqual(['conduct']);
      expect(categoriesOf(r, '有的档案材料归档不完整。'), path).toEqual(['organizational']);
      expect(categoriesOf(r, '精简会议文件。'), path).toEqual(['conduct']); // its own words (精简会议文件), not the row's
    }
  });
  it('the names of the inspected units in a column to the left name no area', () => {
    const names = ['县纪委监委', '县委组织部', '县委宣传部', '县委巡察办', '镇党建办', '市国资委党委'];
    const r = read(
      `<table><tr><th>序号</th><th>被巡察单位</th><th>存在问题</th><th>整改措施</th></tr>${names
        .map((n, i) => `<tr><td>${i + 1}</td><td>${n}</td><td>有的资料归档不完整，底数不清。</td><td>加快推进。</td></tr>`)
        .join('')}</table>`,
    );
    const problems = r.passages.filter((p) => p.text === '有的资料归档不完整，底数不清。');
    expect(problems).toHaveLength(names.length);
    expect(problems.flatMap((p) => p.categories)).toEqual([]);
  });
});

describe('on ledgers built from the real gold (skipped, not passed, when ../shared is absent)', () => {
  // The tuning part's and dev's gold problem and measure units down a ledger's columns (scripts/experiments/ledgers.mjs);
  // the same ledgers without their header row are the reading without column headers. Measured at stop 46: 0.911 /
  // 0.942 without, 0.939 / 0.973 with 问题 | 整改措施, 0.949 / 0.973 with 存在问题 | 整改情况.
  const real = hasShared('corpus/real/index.tsv') && hasShared('corpus/dev/index.tsv');
  const accuracy = (headers: [string, string] | null): [number, number] => {
    const tally = newTally();
    for (const ledger of buildLedgers(`${SHARED_DIR}corpus/`, headers)) {
      const report = analyzer.analyze(new TextEncoder().encode(ledger.html), { path: ledger.name });
      expect(scoreLedger(report, ledger, tally)).toBe(ledger.cells.length);
    }
    const of = (c: { right: number; all: number }): number => c.right / c.all;
    return [of(tally.byColumn[1]), of(tally.byColumn[2])];
  };
  it.skipIf(!real)('the headers raise the function accuracy of their cells, problem and measure columns alike', () => {
    const [p0, m0] = accuracy(null);
    for (const headers of [['问题', '整改措施'], ['反馈问题', '完成情况']] as [string, string][]) {
      const [p, m] = accuracy(headers);
      expect(p, headers.join(' | ')).toBeGreaterThanOrEqual(p0 + 0.02);
      expect(m, headers.join(' | ')).toBeGreaterThanOrEqual(m0 + 0.02);
      expect(p).toBeGreaterThanOrEqual(0.92);
      expect(m).toBeGreaterThanOrEqual(0.96);
    }
  }, 120_000);
  it.skipIf(!real)('a category column holding each problem\'s section costs no problem cell its area (merged, first row only, every row)', () => {
    // The section each gold problem stands under when its text is read (the nearest entry of its headingPath), as a
    // real ledger's 问题类别 column carries it (scripts/experiments/ledger-topics.mjs). Measured at stop 47: category
    // micro-F1 of the problem column 0.894 / 0.894 / 0.897 with the column against 0.894 / 0.894 / 0.897 before the
    // row heading existed: the gold problems of these texts name their area in their own words.
    const readings = new Map<string, Report>();
    const sectionOf = (dir: string, id: string, unit: { start: number; end: number }): string | undefined => {
      const key = `${dir}/${id}`;
      if (!readings.has(key)) readings.set(key, analyzer.analyze(readFileSync(`${SHARED_DIR}corpus/${key}.txt`), { path: `${id}.txt` }));
      return passageAt(readings.get(key)!, unit)?.headingPath.at(-1);
    };
    const problemF1 = (topic?: { header: string; of: typeof sectionOf; layout: string }): number => {
      const tally = newTally();
      for (const ledger of buildLedgers(`${SHARED_DIR}corpus/`, ['问题', '整改措施'], topic)) {
        const report = analyzer.analyze(new TextEncoder().encode(ledger.html), { path: ledger.name });
        expect(scoreLedger(report, ledger, tally), ledger.name).toBe(ledger.cells.length);
      }
      return f1(tally.byColumn[1].cat);
    };
    const without = problemF1();
    for (const layout of ['rowspan', 'first', 'repeat']) {
      const score = problemF1({ header: '问题类别', of: sectionOf, layout });
      expect(score, layout).toBeGreaterThanOrEqual(without - 0.005);
      expect(score, layout).toBeGreaterThanOrEqual(0.89);
    }
  }, 180_000);
});
