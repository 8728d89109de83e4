import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MARKDOWN_WORK_BUDGET, MAX_MARKDOWN_DEPTH, checkMarkdownWork, measureMarkdownWork, parseDocument } from '../src/index.js';

const md = (s: string) => parseDocument(s, { format: 'markdown' });
const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n';
const budgetOf = (text: string): number => MARKDOWN_WORK_BUDGET.base + MARKDOWN_WORK_BUDGET.perChar * text.length;

// Shapes on which remark-parse is super-linear (issue 11, defect 4). Before the check, the first two took minutes
// (depth 2,000 over 12 MB had not finished after 600 s; 40,000 lines of a two-level list took 272 s).
const BOMBS: Record<string, string> = {
  'a 100,000-deep block quote on one line': '>'.repeat(100_000) + ' 存在问题。\n',
  'a 50,000-deep list on one line': '- '.repeat(50_000) + '存在问题。\n',
  'block quotes one level deeper on every line': lines(2_000, (i) => '>'.repeat(i + 1) + ' 存在问题。'),
  'a list nested one level deeper on every line': lines(1_000, (i) => '  '.repeat(i) + '- 存在问题。'),
  'quote and list nested on every line': lines(1_000, (i) => '> - '.repeat(i + 1) + '存在问题。'),
  '20,000 lines of `> - > - ` without a blank line': lines(20_000, () => '> - > - 存在问题。'),
  'a two-level list of 20,000 items without a blank line': lines(20_000, (i) => `- 第${i}项\n  - 存在问题。`),
  '20,000 lazy lines after a list item': lines(20_000, (i) => (i === 0 ? '- 开头' : `第${i}行，存在问题。`)),
  // GFM (remark-gfm): footnote definitions are containers like list items; a table costs 25–75 µs a cell.
  '10,000 footnote definitions with continuation lines and no blank line': lines(10_000, (i) => `[^${i}]: 脚注。\n    存在问题。`),
  'a table of 40,000 rows of short cells': '| 存在问题 | b | c |\n|---|---|---|\n' + lines(40_000, () => '|---|---|---|'),
  'a 2,000-column table of 30 rows': lines(30, (i) => (i === 1 ? '|' + '---|'.repeat(2_000) : '| 存在问题 |' + ' 短 |'.repeat(1_999))),
  '30,000 lines of inline markers without a blank line': lines(30_000, () => '~~[^a [^ ~ ~~ [^1 ] ~~~ 存在问题'),
};

describe('Markdown that remark-parse would take super-linear time on', () => {
  for (const [name, text] of Object.entries(BOMBS)) {
    it(`reads ${name} as plain text with a diagnostic, without giving it to remark`, () => {
      const work = measureMarkdownWork(text);
      expect(work.depth > MAX_MARKDOWN_DEPTH || work.work > budgetOf(text)).toBe(true);
      expect(checkMarkdownWork(text)).toBeDefined();
      const doc = md(text);
      expect(doc.format).toBe('markdown');
      expect(doc.diagnostics?.map((d) => d.code)).toEqual(['XUNSHI_MARKDOWN_TOO_COMPLEX']);
      expect(doc.diagnostics![0]!.message).toMatch(/read as plain text/);
      // Nothing is lost: the plain-text reading keeps every line's text as units.
      expect(doc.units.length).toBeGreaterThan(0);
      for (const u of doc.units) expect(text.slice(u.start, u.end)).toBe(u.text);
      expect(doc.units.filter((u) => u.text.includes('存在问题')).length).toBe(text.split('存在问题').length - 1);
    });
  }

  it('names the deepest line', () => {
    const text = '# 标题\n\n正文。\n\n' + '>'.repeat(40) + ' 引用。\n';
    expect(measureMarkdownWork(text)).toMatchObject({ depth: 40, depthLine: 5 });
    expect(checkMarkdownWork(text)).toMatch(/nested 40 levels deep on line 5/);
  });
});

describe('ordinary Markdown keeps its Markdown reading', () => {
  it('a report with headings, lists, nested lists and quotes is far under the budget', () => {
    const block = [
      '## 一、存在的主要问题',
      '',
      '1. 政治建设方面',
      '   - 学习贯彻不深入。',
      '   - 落实不到位。',
      '2. 作风建设方面',
      '   - 形式主义问题突出。',
      '',
      '> 引用一句。',
      '> 再引用一句。',
      '',
    ].join('\n');
    const text = block.repeat(500);
    const work = measureMarkdownWork(text);
    expect(work.depth).toBeLessThanOrEqual(3);
    expect(work.work).toBeLessThan(budgetOf(text) / 10);
    const doc = md(text);
    expect(doc.diagnostics).toBeUndefined();
    expect(doc.headings.length).toBe(500);
    expect(doc.units[0]!.text).toBe('一、存在的主要问题');
  });

  it('a rectification list of 500 rows and 100 footnotes without blank lines are still Markdown', () => {
    const row = (i: number) => `| ${i} | 违规发放津贴补贴问题整改不到位，涉及资金${i}万元[^${i % 100}]。 | 已全部清退，建立长效机制，完善审批制度。 | 2024年底前 | 财务处、人事处 |`;
    const notes = lines(100, (i) => `[^${i}]: 见某某文件第${i}号，详见附件。`);
    const text = '# 整改清单\n\n| 序号 | 问题 | 整改措施 | 完成时限 | 责任单位 |\n|---|---|---|---|---|\n' + lines(500, (i) => row(i + 1)) + '\n' + notes;
    expect(measureMarkdownWork(text).work).toBeLessThan(budgetOf(text) / 4);
    const doc = md(text);
    expect(doc.diagnostics).toBeUndefined();
    expect(doc.units.filter((u) => u.text === '财务处、人事处').length).toBe(500);
    expect(doc.units.some((u) => u.text.includes('见某某文件'))).toBe(false);
  });

  it('a list of 500 items without blank lines and a quote 32 deep are still Markdown', () => {
    expect(md(lines(500, (i) => `- 第${i}项，存在问题。`)).diagnostics).toBeUndefined();
    const deep = md('>'.repeat(MAX_MARKDOWN_DEPTH) + ' 存在问题。\n');
    expect(deep.diagnostics).toBeUndefined();
    expect(deep.units.map((u) => u.text)).toEqual(['存在问题。']);
  });

  it('the depth counts every marker a line starts with, and nothing after them', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('>', '> ', '- ', '* ', '+ ', '1. ', '12) ', '  '), { maxLength: 40 }), fc.string({ maxLength: 10 }), (prefix, rest) => {
        const markers = prefix.filter((p) => p.trim() !== '').length;
        const line = prefix.join('') + 'x' + rest.replace(/[\r\n]/g, '');
        const { depth } = measureMarkdownWork(line);
        // Indentation in front of a marker adds levels; never fewer than the markers.
        expect(depth).toBeGreaterThanOrEqual(markers);
        expect(depth).toBeLessThanOrEqual(line.length);
      }),
    );
  });

  it('never throws and keeps unit ranges on arbitrary marker-heavy text, whichever reading it gets', () => {
    const piece = fc.constantFrom('>', '> ', '- ', '* ', '1. ', '  ', '\n', '\n\n', '# ', '```', '存在问题。', 'a');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 300 }), (parts) => {
        const text = parts.join('');
        const doc = md(text);
        for (const u of doc.units) expect(text.slice(u.start, u.end)).toBe(u.text);
      }),
      { numRuns: 200 },
    );
  });
});
