import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDocument, readDocument, splitMarkdown, splitUnits } from '../src/index.js';

const md = (s: string) => parseDocument(s, { format: 'markdown' });

describe('Markdown parsing', () => {
  it('turns ATX headings into heading units without markers or closing hashes', () => {
    const src = '# 巡视反馈 #\n\n## 政治建设方面\n\n存在问题。整改不力。\n';
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual(['巡视反馈', '政治建设方面', '存在问题。', '整改不力。']);
    expect(doc.headings).toEqual([
      { start: 2, end: 6, level: 1, text: '巡视反馈', source: 'markdown' },
      { start: 13, end: 19, level: 2, text: '政治建设方面', source: 'markdown' },
    ]);
    const [h1, h2, p1, p2] = doc.units;
    expect(h1).toMatchObject({ isHeading: true, headingLevel: 1, headingPath: [] });
    expect(h2).toMatchObject({ isHeading: true, headingLevel: 2, headingPath: ['巡视反馈'] });
    expect(p1).toMatchObject({ isHeading: false, headingPath: ['巡视反馈', '政治建设方面'] });
    expect(p1!.block).toBe(p2!.block);
    expect(p1!.block).not.toBe(h2!.block);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
  });

  it('handles setext headings: underline gives no unit, the title is a heading', () => {
    const src = '总体情况\n====\n\n正文一。\n\n具体问题\n----\n\n正文二。';
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual(['总体情况', '正文一。', '具体问题', '正文二。']);
    expect(doc.units.map((u) => u.isHeading)).toEqual([true, false, true, false]);
    expect(doc.units[3]!.headingPath).toEqual(['总体情况', '具体问题']);
  });

  it('pops the heading stack on a same or higher level', () => {
    const doc = md('# A\n## B\n### C\n正文。\n## D\n正文。\n# E\n正文。');
    const paths = doc.units.filter((u) => !u.isHeading).map((u) => u.headingPath);
    expect(paths).toEqual([['A', 'B', 'C'], ['A', 'D'], ['E']]);
  });

  it('trims list bullets and blockquote markers but keeps ordered-list numbers', () => {
    const src = '- 第一项。第二句\n* 星号项\n+ 加号项\n\n1. 编号项。\n2. 第二项\n\n> 引用一。\n> > 嵌套引用\n';
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual([
      '第一项。',
      '第二句',
      '星号项',
      '加号项',
      '1. 编号项。',
      '2. 第二项',
      '引用一。',
      '嵌套引用',
    ]);
    expect(doc.units[4]!.enumeration).toEqual({ marker: '1.', style: 'arabic-dot', ordinal: 1 });
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
  });

  it('ignores fenced code, thematic breaks and link definitions', () => {
    const src = [
      '正文一。',
      '',
      '```js',
      'const a = 1; // 代码。',
      '```',
      '',
      '---',
      '',
      '<div>',
      '网页块。',
      '</div>',
      '',
      '[ref]: https://example.com "标题"',
      '',
      '***',
      '正文二有[链接](https://x.y)和**加粗**。',
    ].join('\n');
    const doc = md(src);
    // An HTML block gives the units of its text (below); the rest gives none.
    expect(doc.units.map((u) => u.text)).toEqual(['正文一。', '网页块。', '正文二有[链接](https://x.y)和**加粗**。']);
  });

  it('keeps offsets into the raw source with CRLF and indentation', () => {
    const src = '\ufeff# 标题\r\n\r\n  > - 列表项。后半\r\n';
    const doc = md(src);
    expect(doc.units.map((u) => [u.text, u.start, u.end])).toEqual([
      ['标题', 3, 5],
      ['列表项。', 15, 19],
      ['后半', 19, 21],
    ]);
  });

  it('gives a multi-sentence heading several heading units and one heading range', () => {
    const doc = md('## 问题一。问题二\n\n正文。');
    expect(doc.units.slice(0, 2).map((u) => [u.text, u.isHeading])).toEqual([
      ['问题一。', true],
      ['问题二', true],
    ]);
    expect(doc.headings[0]!.text).toBe('问题一。问题二');
    expect(doc.units[2]!.headingPath).toEqual(['问题一。问题二']);
  });

  it('does not drop the line after a fenced code block left open in a list item', () => {
    // micromark ends such a block at column 1 of the next line, which is not part of it.
    expect(md('- ```\n\n\n1. 编号项。\n').units.map((u) => u.text)).toEqual(['1. 编号项。']);
  });

  it('treats an empty heading as no heading', () => {
    const doc = md('#\n\n正文。');
    expect(doc.headings).toEqual([]);
    expect(doc.units.map((u) => u.text)).toEqual(['正文。']);
  });

  it('parses long documents in pieces without cutting fenced code or HTML blocks', () => {
    const filler = '正文句子。'.repeat(100) + '\n\n';
    const src = [
      filler.repeat(3),
      '```\n# 代码里的井号\n\n代码里的句子。\n```\n\n',
      filler.repeat(3),
      '<!--\n注释一。\n\n注释二。\n-->\n\n',
      filler.repeat(3),
      '# 真标题\n\n尾句。\n',
    ].join('');
    const doc = md(src);
    const texts = doc.units.map((u) => u.text);
    expect(texts.some((t) => t.includes('代码') || t.includes('注释'))).toBe(false);
    expect(doc.headings.map((h) => h.text)).toEqual(['真标题']);
    expect(doc.units[doc.units.length - 1]!.headingPath).toEqual(['真标题']);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
  });
});

describe('the plain-text outline of Markdown paragraphs', () => {
  it('takes a paragraph 一、… or （一）… as a heading, as a .txt line, nested under the # headings', () => {
    const src = '# 关于巡察反馈意见整改情况的通报\n\n一、总体情况\n\n市委巡察组反馈了问题。\n\n二、存在问题\n\n（一）主体责任落实不到位\n\n对干部教育管理不严。\n\n## 三、整改措施\n\n严格落实责任。\n';
    const doc = md(src);
    const path = (t: string) => doc.units.find((u) => u.text === t)!.headingPath;
    expect(doc.headings.map((h) => [h.text, h.level, h.source])).toEqual([
      ['关于巡察反馈意见整改情况的通报', 1, 'markdown'],
      ['一、总体情况', 2, 'numbering'],
      ['二、存在问题', 2, 'numbering'],
      ['（一）主体责任落实不到位', 3, 'numbering'],
      ['三、整改措施', 2, 'markdown'],
    ]);
    expect(path('市委巡察组反馈了问题。')).toEqual(['关于巡察反馈意见整改情况的通报', '一、总体情况']);
    expect(path('对干部教育管理不严。')).toEqual(['关于巡察反馈意见整改情况的通报', '二、存在问题', '（一）主体责任落实不到位']);
    // A `## 三、` closes the typed 二、 section: numbering ranks markup and typed headings alike.
    expect(path('严格落实责任。')).toEqual(['关于巡察反馈意见整改情况的通报', '三、整改措施']);
    for (const h of doc.headings) expect(src.slice(h.start, h.end)).toBe(h.text);
  });

  it('gives a Markdown file of paragraphs the headings and paths of the same lines as a .txt file', () => {
    const lines = ['巡察反馈意见整改情况报告', '一、总体情况', '按照市委统一部署，巡察组进驻开展巡察。', '二、存在问题', '（一）理论学习不深入', '学习流于形式。', '（二）作风建设不扎实', '文山会海问题仍然存在。'];
    const txt = parseDocument(lines.join('\n'));
    const doc = md(lines.join('\n\n'));
    expect(doc.units.map((u) => [u.text, u.headingPath, u.isHeading])).toEqual(txt.units.map((u) => [u.text, u.headingPath, u.isHeading]));
    expect(doc.headings.map((h) => [h.text, h.level])).toEqual(txt.headings.map((h) => [h.text, h.level]));
  });

  it('reads a line set in bold as a whole without its markers (**一、总体情况**, also inside a # heading)', () => {
    const src = '整改情况报告\n\n**一、总体情况**\n\n正文一。\n\n## __二、存在问题__\n\n（一）学习不深入\n\n正文二。\n';
    const doc = md(src);
    expect(doc.headings.map((h) => [h.text, h.level])).toEqual([
      ['一、总体情况', 1],
      ['二、存在问题', 1],
      ['（一）学习不深入', 2],
    ]);
    expect(doc.units.find((u) => u.text === '正文二。')!.headingPath).toEqual(['二、存在问题', '（一）学习不深入']);
    // The unit keeps its markers: units are slices of the file.
    expect(doc.units.find((u) => u.isHeading)!.text).toBe('**一、总体情况**');
  });

  it('reads the outline through inline markup: a bold number (**一、**总体情况), a linked title, a number in a # heading', () => {
    const src = '整改情况报告\n\n**一、**总体情况\n\n正文一。\n\n[二、存在问题](#p2)\n\n正文二。\n\n## **（一）**学习不深入\n\n正文三。\n\n### 三是<span>作风</span>不实\n\n正文四。\n';
    const doc = md(src);
    expect(doc.headings.map((h) => [h.text, h.level, h.source])).toEqual([
      ['一、**总体情况', 1, 'numbering'],
      ['二、存在问题', 1, 'numbering'],
      ['**（一）**学习不深入', 2, 'markdown'],
      ['三是<span>作风</span>不实', 3, 'markdown'],
    ]);
    // Heading ranges are slices of the file; the units under them are where the .txt of the same lines puts them.
    for (const h of doc.headings) expect(src.slice(h.start, h.end)).toBe(h.text);
    expect(doc.units.find((u) => u.text === '正文一。')!.headingPath).toEqual(['一、**总体情况']);
    expect(doc.units.find((u) => u.text === '正文三。')!.headingPath).toEqual(['二、存在问题', '**（一）**学习不深入']);
    const txt = parseDocument('整改情况报告\n一、总体情况\n正文一。\n二、存在问题\n正文二。\n（一）学习不深入\n正文三。\n');
    expect(doc.units.slice(0, 7).map((u) => [u.headingPath.length, u.isHeading])).toEqual(txt.units.map((u) => [u.headingPath.length, u.isHeading]));
  });

  it('cuts no sentence at a terminator inside markup (an image\'s !, an inline tag) or at the ; of a character reference', () => {
    const src = '![图片](x.png)涉及3名干部。如图![图](a.png)，违规资金18&nbsp;万元。AT&amp;T公司。一句。![图](b.png)下一句；注<!-- 甲;乙 -->完。未知&foo;实体\n\n| 问题 | 措施 |\n|---|---|\n| 违规![i](c.png)发放 | 清退&#12288;18万元 |\n';
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual([
      '![图片](x.png)涉及3名干部。',
      '如图![图](a.png)，违规资金18&nbsp;万元。',
      'AT&amp;T公司。',
      '一句。',
      '![图](b.png)下一句；',
      '注<!-- 甲;乙 -->完。',
      // An unknown name is no reference: text as written, its ; a terminator as in a .txt.
      '未知&foo;',
      '实体',
      '问题',
      '措施',
      '违规![i](c.png)发放',
      '清退&#12288;18万元',
    ]);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
    // A reference that renders as a space is read past like markup (the amount reads whole); others stay text.
    const markup = (doc.markup ?? []).map((r) => src.slice(r.start, r.end));
    expect(markup).toContain('&nbsp;');
    expect(markup).toContain('&#12288;');
    expect(markup).not.toContain('&amp;');
    expect(markup).toContain('![图片](x.png)');
  });

  it('reads character references in an HTML block as in a paragraph: no cut at their ;, a space reference read past', () => {
    const src = '<div>\n<p>违规收受礼金3万元，&lt;纪律&gt;松弛，干部作风不实。</p>\n<p>违规发放18&nbsp;万元。AT&amp;T公司；未知&foo;实体</p>\n</div>\n';
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual(['违规收受礼金3万元，&lt;纪律&gt;松弛，干部作风不实。', '违规发放18&nbsp;万元。', 'AT&amp;T公司；', '未知&foo;', '实体']);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
    const markup = (doc.markup ?? []).map((r) => src.slice(r.start, r.end));
    expect(markup).toContain('&nbsp;');
    expect(markup).not.toContain('&lt;');
  });

  it('never takes a list item or a quoted line as a heading (markup says what they are)', () => {
    const src = '整改情况报告\n\n二、整改措施\n\n1. 健全制度。\n2. 压实责任。\n\n各级党组织要抓好落实。\n\n> 一、引文中的编号\n\n引文之后的正文。\n';
    const doc = md(src);
    expect(doc.headings.map((h) => h.text)).toEqual(['二、整改措施']);
    expect(doc.units.find((u) => u.text === '各级党组织要抓好落实。')!.headingPath).toEqual(['二、整改措施']);
    expect(doc.units.find((u) => u.text === '引文之后的正文。')!.headingPath).toEqual(['二、整改措施']);
    // The same lines in a .txt file: the last list item, followed by prose, is a heading there.
    expect(parseDocument('整改情况报告\n二、整改措施\n1. 健全制度。\n2. 压实责任。\n各级党组织要抓好落实。').headings.map((h) => h.text)).toContain('2. 压实责任。');
  });

  it('takes a table as content of the heading before it, never as headings', () => {
    const doc = md('整改情况报告\n\n二、问题清单\n\n| 一、问题 | 整改 |\n| --- | --- |\n| 学习不深入 | 已完成 |\n');
    expect(doc.headings.map((h) => h.text)).toEqual(['二、问题清单']);
    // The table is the section's content, so 二、 is a heading; its cell 一、问题 is neither a heading nor a sibling.
    expect(doc.units.slice(2).map((u) => [u.text, u.headingPath])).toEqual(
      ['一、问题', '整改', '学习不深入', '已完成'].map((t) => [t, ['二、问题清单']]),
    );
  });
});

describe('HTML blocks in Markdown', () => {
  // What pandoc writes for a table GFM cannot hold (merged cells), and what authors write to centre a title.
  const src = [
    '整改情况报告',
    '',
    '一、问题整改清单',
    '',
    '<table>',
    '<tr><th>序号</th><th>问题</th><th>整改情况</th></tr>',
    '<tr><td>1</td><td>违规发放津补贴<b>18万元</b>。已清退。</td><td rowspan="2">已完成</td></tr>',
    '</table>',
    '',
    '<div align="center">',
    '<p>二、下步打算</p>',
    '持续抓好整改。<!-- 注释。 -->',
    '<script>var a = "脚本。";</script><style>p::after { content: "样式。"; }</style>',
    '</div>',
    '',
    '<h2>三、其他</h2>',
    '',
    '正文。',
    '',
  ].join('\n');

  it('gives the text of an HTML block as units (slices of the file): rows per cell, headings, paragraphs', () => {
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual([
      '整改情况报告', '一、问题整改清单', '序号', '问题', '整改情况', '1', '违规发放津补贴<b>18万元</b>。', '已清退。', '已完成',
      '二、下步打算', '持续抓好整改。', '三、其他', '正文。',
    ]);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
    const byText = new Map(doc.units.map((u) => [u.text, u]));
    // One block a row, a new one for the next row.
    expect(byText.get('序号')!.block).toBe(byText.get('整改情况')!.block);
    expect(byText.get('1')!.block).toBe(byText.get('已完成')!.block);
    expect(byText.get('1')!.block).not.toBe(byText.get('序号')!.block);
    expect(doc.headings.map((h) => [h.text, h.source])).toEqual([['一、问题整改清单', 'numbering'], ['二、下步打算', 'numbering'], ['三、其他', 'markdown']]);
    expect(byText.get('已完成')!.headingPath).toEqual(['一、问题整改清单']);
    expect(byText.get('持续抓好整改。')!.headingPath).toEqual(['二、下步打算']);
    expect(byText.get('正文。')!.headingPath).toEqual(['三、其他']);
  });

  it('reads the same blocks when the document is parsed in pieces', () => {
    const long = Array.from({ length: 40 }, () => src).join('\n');
    const whole = splitMarkdown(long, { minChunk: Infinity });
    const pieces = splitMarkdown(long, { minChunk: 64 });
    expect(pieces.units.map((u) => [u.start, u.end, u.cell ?? false])).toEqual(whole.units.map((u) => [u.start, u.end, u.cell ?? false]));
    expect(pieces.headings.map((h) => h.depth)).toEqual(whole.headings.map((h) => h.depth));
  });

  it('leaves an HTML block inside a quote or a list item out (its lines carry the markers)', () => {
    expect(md('> <div>\n> 引用里的网页块。\n> </div>\n\n正文。').units.map((u) => u.text)).toEqual(['正文。']);
  });

  it('reads a block nested past 512 elements as it is written, with a diagnostic: its text was dropped without a word (and alone, was INPUT_EMPTY "no text outside code blocks…")', () => {
    const [open, close] = ['<div>'.repeat(600) + '违规发放津贴。', '</div>'.repeat(600)];
    const deep = open + close;
    const d = md(`正文。\n\n${deep}\n\n<p>浅处。</p>\n`);
    expect(d.units.map((u) => u.text)).toEqual(['正文。', open, close, '浅处。']);
    expect(d.diagnostics).toEqual([{ code: 'XUNSHI_MARKDOWN_TOO_COMPLEX', message: 'an HTML block nested more than 512 elements deep (from line 3): read as it is written, its tags in the units' }]);
    const alone = readDocument(new TextEncoder().encode(deep), { path: 'deep.md' });
    expect(alone.units.map((u) => u.text)).toEqual([open, close]);
  });
});

describe('a Markdown file without report text', () => {
  it('is INPUT_EMPTY when read from bytes, as a page without text is (parseDocument still never throws)', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    for (const src of ['```\n代码。\n```\n', '<!-- 注释。 -->\n', '---\ntitle: 报告\n---\n', '[a]: https://x.cn\n\n***\n']) {
      expect(() => readDocument(bytes(src), { path: 'a.md' })).toThrow(expect.objectContaining({ code: 'XUNSHI_INPUT_EMPTY', file: 'a.md' }));
      expect(parseDocument(src, { format: 'markdown' }).units).toEqual([]);
    }
    expect(readDocument(bytes('```\n代码。\n```\n\n正文。\n'), { path: 'a.md' }).units.map((u) => u.text)).toEqual(['正文。']);
  });
});

describe('GFM tables', () => {
  const src = [
    '# 整改清单',
    '',
    '| 序号 | 问题 | 整改措施 | 完成时限 | 责任单位 |',
    '|:---:|------|:--|--:|---|',
    '| 1 | 违规发放津贴补贴。整改不力 | 已清退全部款项。已完成 | 2024年底 | 财务处 |',
    '|2|选人用人不规范|建立制度\\|规范程序|长期坚持|组织部|',
    '',
    '正文。',
  ].join('\n');
  const doc = md(src);

  it('gives each row one block, cuts units per cell, and leaves the delimiter row out', () => {
    const byBlock = new Map<number, string[]>();
    for (const u of doc.units) byBlock.set(u.block, [...(byBlock.get(u.block) ?? []), u.text]);
    expect([...byBlock.values()]).toEqual([
      ['整改清单'],
      ['序号', '问题', '整改措施', '完成时限', '责任单位'],
      ['1', '违规发放津贴补贴。', '整改不力', '已清退全部款项。', '已完成', '2024年底', '财务处'],
      ['2', '选人用人不规范', '建立制度\\|规范程序', '长期坚持', '组织部'],
      ['正文。'],
    ]);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
    expect(doc.units.find((u) => u.text === '财务处')!.headingPath).toEqual(['整改清单']);
  });

  it('reads a table inside a block quote or a list item the same way', () => {
    for (const prefix of ['> ', '- ', '1. ']) {
      const indent = prefix === '> ' ? '> ' : ' '.repeat(prefix.length);
      const t = `${prefix}| 问题 | 整改 |\n${indent}|---|---|\n${indent}| 违规吃喝。 | 已处理 |\n`;
      expect(md(t).units.map((u) => u.text)).toEqual(['问题', '整改', '违规吃喝。', '已处理']);
    }
  });

  it('keeps rows without a delimiter row as a paragraph (not a table in GFM)', () => {
    expect(md('| 问题 | 整改 |\n| 违规吃喝。 | 已处理 |\n').units.map((u) => u.text)).toEqual(['| 问题 | 整改 |', '| 违规吃喝。', '| 已处理 |']);
  });

  it('never lets a unit run across cells (property)', () => {
    // A row of blank cells without outer pipes (   |  | ) is an indented code line, not a row: seed 1439825681.
    expect(md('甲 | 乙 | 丙\n---|---|---\n    |  | \n').units.map((u) => u.text)).toEqual(['甲', '乙', '丙', '|  |']);
    const cell = fc.array(fc.constantFrom('问题', '整改', '。', '；', ' ', '\u3000', 'a', '1', '**', '”'), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (rows, outerPipes) => {
        // Without outer pipes a row whose first cell is blank starts with four spaces: an indented code block, which ends
        // the table as GFM reads it (its text then is prose, pipes included), so the first cell's leading blanks go.
        const line = (cells: string[]) => (outerPipes ? `| ${cells.join(' | ')} |` : [cells[0]!.replace(/^ +/, ''), ...cells.slice(1)].join(' | '));
        const text = [line(['甲', '乙', '丙']), outerPipes ? '|---|---|---|' : '---|---|---', ...rows.map(line)].join('\n') + '\n';
        const d = md(text);
        const expected = [['甲', '乙', '丙'], ...rows].flatMap((r) => r.flatMap((c) => splitUnits(c).map((u) => u.text)));
        expect(d.units.map((u) => u.text)).toEqual(expected);
        for (const u of d.units) expect(text.slice(u.start, u.end)).toBe(u.text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('GFM footnotes and task lists', () => {
  it('keeps footnote definitions out of every unit and note references off the units they touch', () => {
    const src = [
      '巡视发现问题。[^1]整改不到位。',
      '违规发放津贴补贴4.7万元[^1]。某规定[^a]要求限期整改。[^1][^A]',
      '未定义的[^9]照旧。',
      '',
      '| 问题[^1]。 | [^a] |',
      '|---|---|',
      '',
      '[^1]: 见某某文件。',
      '    续行说明。',
      '[^a]: 第二个脚注。',
    ].join('\n');
    const doc = md(src);
    expect(doc.units.map((u) => u.text)).toEqual([
      '巡视发现问题。',
      '整改不到位。',
      '违规发放津贴补贴4.7万元',
      '某规定[^a]要求限期整改。',
      '未定义的[^9]照旧。',
      '问题',
    ]);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
    // The notes are still part of the text (the model's text is the file).
    expect(doc.text).toContain('见某某文件。');
  });

  it('gives the units an HTML page with the same footnote gives', () => {
    const md1 = md('正文一句。[^1]再一句。\n\n[^1]: 脚注内容。\n');
    const html = readDocument(new TextEncoder().encode('<p>正文一句。<sup><a href="#fn1">1</a></sup>再一句。</p><ol><li id="fn1"><p>脚注内容。</p></li></ol>'), { path: 'a.html' });
    expect(md1.units.map((u) => u.text)).toEqual(html.units.map((u) => u.text));
  });

  it('trims a task list check like the bullet before it', () => {
    const src = '- [ ] 未完成整改。\n- [x] 已完成\n> - [X] 引用里的任务\n\n1. [ ] 编号任务\n\n- [y] 不是任务\n';
    expect(md(src).units.map((u) => u.text)).toEqual(['未完成整改。', '已完成', '引用里的任务', '编号任务', '[y] 不是任务']);
  });
});

describe('YAML front matter', () => {
  it('gives no unit and no heading (it was a setext heading, title: …, over the whole document)', () => {
    const src = '\ufeff---\r\ntitle: 关于某单位巡视整改情况的通报\r\ndate: 2024-06-01\r\n---\r\n\r\n正文一句。\r\n\r\n## 一、总体情况\r\n\r\n正文二。\r\n';
    const doc = md(src);
    expect(doc.units.map((u) => [u.text, u.headingPath])).toEqual([
      ['正文一句。', []],
      ['一、总体情况', []],
      ['正文二。', ['一、总体情况']],
    ]);
    for (const u of doc.units) expect(src.slice(u.start, u.end)).toBe(u.text);
  });
  it('leaves a leading thematic break, and an unclosed block, as they were', () => {
    expect(md('---\n\n正文一。\n\n---\n正文二。').units.map((u) => u.text)).toEqual(['正文一。', '正文二。']);
    expect(md('---\ntitle: 未闭合\n\n正文。').units.map((u) => u.text)).toEqual(['title: 未闭合', '正文。']);
  });
});

describe('piecewise Markdown parsing (property)', () => {
  const block = fc.constantFrom(
    '# 标题一\n',
    '## 标题二 ##\n',
    '标题三\n===\n',
    '正文一句。第二句\n',
    '- 列表项。\n- 第二项\n',
    '  - 缩进列表\n',
    '1. 编号项。\n',
    '> 引用。\n> > 嵌套\n',
    '```\n# 代码\n\n代码句。\n```\n',
    '~~~\n\n~~~\n',
    '<!--\n注释\n\n注释。\n-->\n',
    '<div>\n块。\n</div>\n',
    '[ref]: http://x.y\n',
    '---\n',
    '    缩进的散文。\n',
    '\u3000全角缩进段落。\n',
    '```\n',
    '````\n',
    '<pre>\n',
    '</pre>\n',
    '<!--\n',
    '-->\n',
    '<div>\n',
    '- ```\n',
    '> ```\n',
    '正文。\n---\n',
    '| 序号 | 问题 |\n|---|---|\n| 1 | 整改。不力 |\n',
    '|---|---|\n',
    '| 行 | 续 |\n',
    '> | 甲 |\n> |:-:|\n',
    '- | 乙 | 丙 |\n  | --- | --- |\n',
    '[^1]: 脚注。\n    续行。\n',
    '正文[^1]。\n',
    '\n',
    '\n\n',
  );
  it('gives exactly the units and headings of a whole-document parse', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 40 }), (blocks) => {
        const src = (blocks.length % 3 === 0 ? '---\ntitle: 标题\n---\n' : '') + blocks.join('');
        const whole = splitMarkdown(src, { minChunk: Infinity });
        const pieces = splitMarkdown(src, { minChunk: 0 });
        expect(pieces.units.map((u) => [u.start, u.end, u.heading !== undefined])).toEqual(
          whole.units.map((u) => [u.start, u.end, u.heading !== undefined]),
        );
        expect(pieces.headings.map((h) => h.depth)).toEqual(whole.headings.map((h) => h.depth));
      }),
      { numRuns: 400 },
    );
  });
});
