import { describe, expect, it, vi } from 'vitest';
import { ExtractedTextBuilder, layoutPdf, readDocumentAsync } from '../src/index.js';
import { makeRawPdf } from './support/fixtures.js';
import { libreLine } from './support/stream-table-pages.js';
import { extentOf } from '../src/pdf-columns.js';

type Item = { str: string; x: number; y: number; width: number; height: number };
const item = (str: string, x: number, y: number, size = 16): Item => ({ str, x, y, width: str.length * size, height: size });
/** An A4 page (body from x = 79 to 521, 16 pt): lines given as [text, x, y, size]. */
const page = (items: Item[]) => ({ width: 595, height: 842, items });

describe('PDF layout of a 公文', () => {
  const body = [
    item('各乡镇、县直各单位：', 79, 618),
    item('根据县委统一部署，县委第一巡察组对县财政局党组开展了', 111, 589),
    item('常规巡察，并于2023年8月反馈了巡察意见。现将整改进展情况', 79, 561),
    item('通报如下。', 79, 534),
    item('一、提高政治站位，扎实推进巡察整改', 111, 505),
  ];
  it('joins a title set large and centred that wraps onto a second centred line, as Word and WPS print it', () => {
    // Wrapped by the width (a full first line, one character left), and broken by the author (two centred lines).
    for (const title of [
      [item('关于某某县财政局党组巡察整改进展情况的通', 81, 711, 22), item('报', 290, 675, 22)],
      [item('关于某某县财政局党组', 187, 711, 22), item('巡察整改进展情况的通报', 176, 675, 22)],
    ]) {
      const doc = layoutPdf([page([...title, ...body])]);
      expect(doc.text.split('\n')).toEqual([
        '关于某某县财政局党组巡察整改进展情况的通报',
        '各乡镇、县直各单位：',
        '根据县委统一部署，县委第一巡察组对县财政局党组开展了常规巡察，并于2023年8月反馈了巡察意见。现将整改进展情况通报如下。',
        '一、提高政治站位，扎实推进巡察整改',
      ]);
    }
  });
  it('keeps apart centred lines of different sizes (the issuer above the title) and a title from the line after it', () => {
    const doc = layoutPdf([page([item('中共某某县委巡察办', 200, 760, 28), item('关于巡察整改进展情况的通报', 154, 711, 22), ...body])]);
    expect(doc.text.split('\n').slice(0, 3)).toEqual(['中共某某县委巡察办', '关于巡察整改进展情况的通报', '各乡镇、县直各单位：']);
  });
  it('leaves out a footnote marker set as a superscript (smaller, raised), but not a number on the line', () => {
    const doc = layoutPdf([
      page([
        item('整改中，共追回资金人民币126.5万元。', 111, 621),
        { str: '1', x: 471, y: 627, width: 7, height: 12.5 },
        item('涉及干部12人，已全部完成整改，全面从严治党取得新', 111, 593),
        item('成效，第2批次整改任务正在推进。', 79, 565),
        item('1 数据截至2024年4月30日。', 79, 196, 10),
      ]),
    ]);
    expect(doc.text.split('\n')).toEqual(['整改中，共追回资金人民币126.5万元。', '涉及干部12人，已全部完成整改，全面从严治党取得新成效，第2批次整改任务正在推进。', '1 数据截至2024年4月30日。']);
  });
});

describe('PDF layout of a 公文’s 版记', () => {
  it('joins the lines of a block indented by one character on each side (抄送：…), and keeps the 印发 line after it apart', () => {
    // Body 16pt from 79.5 to 511.5; the 版记 14pt one character in on each side, as LibreOffice sets a paragraph with margins.
    const at = (str: string, x: number, y: number, size: number): Item => ({ str, x, y, width: [...str].length * size, height: size });
    const body = '县财政局党组持续巩固巡察整改成果，建立健全长效机制，推动全面从严治党向纵深发展。';
    const doc = layoutPdf([
      page([
        at(body.slice(0, 27), 79.5, 700, 16),
        at(body.slice(27), 79.5, 672, 16),
        at('中共县财政局党组', 383.5, 616, 16),
        at('抄送：县纪委监委，县委组织部，县委巡察办，县财政局，县审计', 93.5, 560, 14),
        at('局，县委督查室，县委办公室信息科，县人大常委会办公室，县政', 93.5, 535, 14),
        at('协办公室。', 93.5, 510, 14),
        at('中共县财政局党组办公室', 93.5, 485, 14),
        at('2024年3月22日印发', 329.5, 485, 14),
      ]),
    ]);
    expect(doc.text.split('\n')).toEqual([
      body,
      '中共县财政局党组',
      '抄送：县纪委监委，县委组织部，县委巡察办，县财政局，县审计局，县委督查室，县委办公室信息科，县人大常委会办公室，县政协办公室。',
      '中共县财政局党组办公室　　　　　　2024年3月22日印发',
    ]);
  });
  it('keeps apart short lines centred one under the other (each as far from either margin): no block', () => {
    const at = (str: string, x: number, y: number): Item => ({ str, x, y, width: [...str].length * 16, height: 16 });
    const text = '县财政局党组持续巩固巡察整改成果，建立健全长效机制，推动全面从';
    const doc = layoutPdf([page([at(text, 79.5, 700), at(text, 79.5, 672), at('巡察整改', 295.5, 644), at('工作专班', 295.5, 616)])]);
    expect(doc.text.split('\n').slice(-2)).toEqual(['巡察整改', '工作专班']);
  });
  it('keeps apart a title at the first-line indent that ends about as far short of the margin, and the paragraph after it', () => {
    // A sample report set as a 公文 by LibreOffice: text from 57 to 538.7 (a line of figures reaches it), the title a
    // paragraph of its own, indented 31.8 and ending 17.9 short of the margin: no block indented on both sides.
    const at = (str: string, x: number, y: number, width = [...str].length * 16): Item => ({ str, x, y, width, height: 16 });
    const doc = layoutPdf([
      page([
        at('省委第六巡視組向省能源投資集團有限公司黨委反饋巡視情況', 88.8, 762.8),
        at('根據省委統一部署，2023年9月至11月，省委第六巡視組對省能', 88.8, 734.8, 449.9),
        at('源投資集團有限公司黨委進行了常規巡視。', 57, 706.8),
        at('巡視組指出，集團黨委在學習貫徹黨的二十大精神方面存在差距，', 57, 678.8, 481.7),
        at('落實全面從嚴治黨主體責任不夠到位。', 57, 650.8),
      ]),
    ]);
    expect(doc.text.split('\n')[0]).toBe('省委第六巡視組向省能源投資集團有限公司黨委反饋巡視情況');
  });
});

describe('PDF layout of a report set as LibreOffice prints a 公文 (16pt, justified, first lines indented two characters)', () => {
  it('reads 7.0∶41.1∶51.9 in order where pdf.js gave the figures as one run (7.0 41.1 51.9) and each ∶ as a run inside it', () => {
    // As pdf.js reads LibreOffice's file: the figures of one font joined across the narrow gaps where the ∶ of another is.
    const items: Item[] = [
      { str: '三次产业结构为', x: 111, y: 566.8, width: 112, height: 16 },
      { str: '7.0 41.1 51.9', x: 226.2, y: 566.8, width: 105.9, height: 16 },
      { str: '∶', x: 251.6, y: 566.8, width: 4.6, height: 16 },
      { str: '∶', x: 291.9, y: 566.8, width: 4.6, height: 16 },
      { str: '。', x: 332.2, y: 566.8, width: 16, height: 16 },
    ];
    expect(layoutPdf([page(items)]).text).toBe('三次产业结构为7.0∶41.1∶51.9。');
  });
  it('keeps a run whole where the next run only touches it, and one with no space inside', () => {
    const items: Item[] = [
      { str: 'GDP 增长', x: 111, y: 566.8, width: 60, height: 16 },
      { str: '5.5%', x: 171, y: 566.8, width: 30, height: 16 },
    ];
    expect(layoutPdf([page(items)]).text).toBe('GDP 增长5.5%');
  });
  it('finds the left margin where lines wrap to, though most paragraphs are one line starting at the indent', () => {
    // 79 to 511: 27 characters a line. Six one-line paragraphs at the indent (111), two that wrap to the margin (79).
    const one = ['一、是否存在违规担保情况', '否', '二、是否存在资金占用情况', '否'];
    const items = [
      item('报告期内公司实现营业收入稳步增长经营活动产生的现', 111, 700),
      item('金流量净额同比下降。', 79, 672),
      item('公司坚持稳存量拓增量提质效的经营思路完成多个县域', 111, 644),
      item('供水一体化项目并购。', 79, 616),
      item('三、是否存在被控股股东及其关联方非经营性占用资金', 111, 588),
      item('否', 111, 560),
      ...one.map((t, i) => item(t, 111, 532 - 28 * i)),
    ];
    expect(layoutPdf([page(items)]).text.split('\n')).toEqual([
      '报告期内公司实现营业收入稳步增长经营活动产生的现金流量净额同比下降。',
      '公司坚持稳存量拓增量提质效的经营思路完成多个县域供水一体化项目并购。',
      '三、是否存在被控股股东及其关联方非经营性占用资金',
      '否',
      ...one,
    ]);
  });
});

describe('PDF layout of a report with a landscape attachment (a 台账 turned in a section of its own)', () => {
  // Portrait A4 pages, body 16pt from x = 79 to 511 (27 characters a line), LibreOffice's footer inside a 公文's 3.5 cm
  // bottom margin; then landscape pages, body from 57 to 777 (45 characters a line).
  const portrait = (items: Item[]) => ({ width: 595, height: 842, items });
  const landscape = (items: Item[]) => ({ width: 842, height: 595, items });
  /** A paragraph set justified from `left` to `right` with its first line indented two characters, from `y` down. */
  const para = (text: string, left: number, right: number, y: number): Item[] => {
    const per = Math.floor((right - left) / 16);
    const lines = [text.slice(0, per - 2)];
    for (let i = per - 2; i < text.length; i += per) lines.push(text.slice(i, i + per));
    return lines.map((t, k) => item(t, k === 0 ? left + 32 : left, y - 28 * k));
  };
  const P1 = '县财政局党组把巡察整改作为重大政治任务，召开专题会议研究部署，制定整改方案，建立问题清单、任务清单、责任清单，逐项明确责任领导和完成时限。';
  const P2 = '截至目前，巡察反馈的问题已完成整改，其余问题正在按计划推进。';
  const L1 = '对照巡察反馈意见，逐条逐项梳理形成整改台账，每月调度整改进展，对整改不力的单位和个人严肃问责，确保各项整改任务按期完成、取得实效。';
  const L2 = '整改台账如下。';
  const pages = () => [
    portrait([...para(P1, 79, 511, 700), ...para(P2, 79, 511, 560), item('中共县财政局党组', 383, 470), item('2024年3月8日', 399, 442), item('— 1 —', 257, 104, 14)]),
    landscape([item('附件', 57, 520), ...para(L1, 57, 777, 480), ...para(L2, 57, 777, 396), item('— 2 —', 381, 61, 14)]),
  ];
  it('drops a page number between dashes in its footer 12 % of the page up, as LibreOffice sets a footer inside the margin', () => {
    const doc = layoutPdf(pages());
    expect(doc.text).not.toContain('1 —');
    expect(doc.text).not.toContain('2 —');
    // A bare figure as high up stays text.
    const bare = layoutPdf([portrait([...para(P2, 79, 511, 700), item('1', 293, 104, 14)])]);
    expect(bare.text.split('\n')).toEqual([P2, '1']);
  });
  it('reads each page size by its own margins: paragraphs of the landscape page end where their lines fall short of its margin, and the portrait ones of theirs', () => {
    expect(layoutPdf(pages()).text.split('\n')).toEqual([P1, P2, '中共县财政局党组', '2024年3月8日', '附件', L1, L2]);
  });
  it('goes on with no paragraph over a page of another size (a section break), though the line before the break reaches the margin', () => {
    // The date set flush right reaches the portrait margin, and the landscape page opens at its own margin.
    const [first, second] = pages();
    const doc = layoutPdf([{ ...first!, items: first!.items.filter((it) => it.str !== '中共县财政局党组') }, second!]);
    expect(doc.text.split('\n').slice(2, 4)).toEqual(['2024年3月8日', '附件']);
  });
});

describe('PDF layout of text set flush left, as LibreOffice prints a report', () => {
  // 10 pt, body from x = 57 to 537 (48 characters a line); no first-line indent. Runs of half-width figures are 5 pt a
  // character; a closing mark at a line's end hangs one em past the margin, as LibreOffice and Word set it.
  const L = 57;
  const R = 537;
  const run = (str: string, x: number, y: number): Item => ({ str, x, y, width: [...str].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 5 : 10), 0), height: 10 });
  const full = (text: string, y: number): Item => run(text, L, y);
  it('joins a line cut before a figure that did not fit (17.1%，), even where a closing mark hanging past the margin widens the page', () => {
    const width = (t: string): number => run(t, 0, 0).width;
    /** `head` padded with Chinese characters to `w` points. */
    const pad = (head: string, w: number): string => head + '增'.repeat(Math.round((w - width(head)) / 10));
    const hanging = pad('一季度国有控股企业增长', 480) + '，';
    const cut = pad('第二段数据显示国有控股企业增长4.2%，股份制企业', 452);
    const doc = layoutPdf([
      page([
        // 48 characters and a comma hanging past R: the lines reach R + 10.
        full(hanging, 700),
        run('总体平稳有序。', L, 688),
        // Ends 30 pt short of R: 17.1%， (25 + 10 pt) did not fit there.
        run(cut, L, 676),
        run('17.1%，外商及港澳台商投资企业增长3.6%。', L, 664),
        // A short line without a sentence end, then a line that starts with a figure: a heading and its paragraph.
        run('二、主要指标', L, 640),
        run('2023年，全省实现地区生产总值4.6万亿元。', L, 628),
      ]),
    ]);
    expect(width(hanging)).toBe(R - L + 10);
    expect(R - (L + width(cut))).toBe(30);
    expect(doc.text.split('\n')).toEqual([`${hanging}总体平稳有序。`, `${cut}17.1%，外商及港澳台商投资企业增长3.6%。`, '二、主要指标', '2023年，全省实现地区生产总值4.6万亿元。']);
  });
  it('joins a line cut before a figure that did not fit as LibreOffice sets figures: 0.6 of the size wide, a fifth of it from the Chinese before', () => {
    // 1.1%， takes 2 + 24 + 10 = 36pt after 同比下降; the line ends 34pt short of the margin. Half an em a figure (30pt)
    // would have fitted, so the estimate read the line as a paragraph's last. The first line sets the margin.
    const filler = (n: number): string => '全省规模以上工业增加值保持平稳运行态势总体良好各项指标稳中有进'.repeat(3).slice(0, n);
    const first = filler(48);
    const cut = `${filler(37)}58万吨同比下降`;
    const next = '1.1%，其中猪肉产量3690万吨，下降3.6%。';
    const items = [first, cut, next].flatMap((t, i) => libreLine(t, L, 700 - 12 * i));
    const end = (y: number): number => extentOf(items.filter((it) => it.y === y), (it) => it.x + it.width)[1];
    expect(end(700) - L).toBeCloseTo(R - L, 5);
    expect(R - end(688)).toBeCloseTo(34, 5);
    // The full first line goes on into the second, as any full line does in text set flush left.
    expect(layoutPdf([page(items)]).text.split('\n')).toEqual([first + cut + next]);
  });
  it('ends a paragraph whose last line is full before a line that opens a section (第三节) or a part (附件：)', () => {
    const doc = layoutPdf([
      page([
        full('报告期内公司实现营业收入稳步增长经营活动产生的现金流量净额同比下降主要系应收水费回款周期延长所致。', 700),
        run('第三节　经营情况讨论与分析', L, 688),
        full('公司坚持稳存量拓增量提质效的经营思路完成多个县域供水一体化项目并购新增特许经营权资产较多收益。', 676),
        run('附件：整改任务清单', L, 664),
      ]),
    ]);
    expect(doc.text.split('\n')).toEqual([
      '报告期内公司实现营业收入稳步增长经营活动产生的现金流量净额同比下降主要系应收水费回款周期延长所致。',
      '第三节　经营情况讨论与分析',
      '公司坚持稳存量拓增量提质效的经营思路完成多个县域供水一体化项目并购新增特许经营权资产较多收益。',
      '附件：整改任务清单',
    ]);
  });
});

describe('PDF footnotes at the foot of a page, under their separator', () => {
  // As LibreOffice prints a 公文 with footnotes: 16pt body from x = 79.5 to 521.5 on 28pt lines, each note's mark set
  // raised at 9.3pt after the text, the separator a filled box of a quarter of the text's width (drawn as its four
  // sides) 11pt above the first note, the notes at 9pt with their marks, a page number at 10.5pt under them.
  const L = 79.5;
  const body = (str: string, y: number, x = L): Item => ({ str, x, y, width: [...str].length * 16, height: 16 });
  const mark = (str: string, x: number, y: number): Item => ({ str, x, y: y + 4.3, width: 5.9 * str.length, height: 9.3 });
  const note = (str: string, y: number, x = L): Item => ({ str, x, y, width: [...str].length * 9, height: 9 });
  const separator = (y: number) => [
    { x0: L, y0: y, x1: 189.9, y1: y },
    { x0: 189.9, y0: y, x1: 189.9, y1: y + 0.5 },
    { x0: 189.9, y0: y + 0.5, x1: L, y1: y + 0.5 },
    { x0: L, y0: y + 0.5, x1: L, y1: y },
  ];
  const full = '县财政局党组落实全面从严治党主体责任不到位涉及干部十二名部分问题整'; // 27 characters, 432pt: a full line
  const pageOne = (notes: Item[], rules = separator(112.5), footer = '— 1 —') => ({
    width: 595,
    height: 842,
    items: [
      body('关于县财政局党组巡察整改进展情况的通报', 91.6 + 671, 91.6),
      body('一、整改落实情况', 734.8, 111.5),
      body('修订完善制度，已全部完成整改', 706.8, 111.5),
      mark('1', 335.5, 706.8),
      body('。', 706.8, 341.4),
      body(full, 146.8),
      body(full, 118.8),
      ...notes,
      { str: footer, x: 283.4, y: 61.1, width: 34.4, height: 10.5 },
    ],
    rules,
  });
  const pageTwo = { width: 595, height: 842, items: [body('改不彻底。', 762.8), body('二、下一步工作打算', 734.8, 111.5), { str: '— 2 —', x: 283.4, y: 61.1, width: 34.4, height: 10.5 }] };
  const notes = [
    note('1', 101.2), note(' ', 101.2, 85.2), note('参见《中国共产党巡视工作条例》第十五条，以及中共中央办公厅印发的《关于进一步加强巡视巡察上下', 101.2, 96.5),
    note('联动的意见》中关于整改监督的有关规定。', 90.6, 96.5),
    note('2', 80), note(' ', 80, 85.2), note('同上，第52页。', 80, 96.5),
  ];
  const linesOf = (doc: ReturnType<typeof layoutPdf>) => doc.lines.map((l) => [l.kind, doc.text.slice(l.start, l.end)]);

  it('keeps the notes as the other readers do (after the body, without their marks, of no unit), and the paragraph they interrupt whole', () => {
    const doc = layoutPdf([pageOne(notes), pageTwo]);
    expect(linesOf(doc)).toEqual([
      ['body', '关于县财政局党组巡察整改进展情况的通报'],
      ['body', '一、整改落实情况'],
      ['body', '修订完善制度，已全部完成整改。'],
      ['body', full + full + '改不彻底。'],
      ['body', '二、下一步工作打算'],
      ['footnote', '参见《中国共产党巡视工作条例》第十五条，以及中共中央办公厅印发的《关于进一步加强巡视巡察上下联动的意见》中关于整改监督的有关规定。'],
      ['footnote', '同上，第52页。'],
    ]);
  });
  it('finds the notes where they hold more characters than the text above them (a long note on a short page)', () => {
    const long = '本文所称巡察整改是指被巡察党组织根据巡察反馈意见对巡察发现的问题进行整改落实的全过程包括制定整改方案';
    const many = [note('1', 101.2), note(' ', 101.2, 85.2), ...[0, 1, 2, 3].map((k) => note(long, 101.2 - 10.6 * k, 96.5))];
    const doc = layoutPdf([{ ...pageOne(many, separator(112.5)), items: pageOne(many).items.filter((it) => it.height !== 16 || it.y > 700) }]);
    expect(linesOf(doc).filter(([k]) => k === 'footnote')).toEqual([['footnote', long.repeat(4)]]);
    const body = linesOf(doc).filter(([k]) => k === 'body').map(([, t]) => t);
    expect(body.at(-1)).toBe('修订完善制度，已全部完成整改。');
    expect(body.join('')).not.toContain('本文所称');
  });
  it('keeps a note whose text repeats on every page (同上) as a note, not as a running footer', () => {
    const same = [note('3', 101.2), note(' ', 101.2, 85.2), note('同上。', 101.2, 96.5)];
    const pages = [pageOne(same), { ...pageOne(same, separator(112.5), '— 2 —') }, { ...pageOne(same, separator(112.5), '— 3 —') }];
    const doc = layoutPdf(pages);
    expect(linesOf(doc).filter(([k]) => k === 'footnote')).toEqual([['footnote', '同上。'], ['footnote', '同上。'], ['footnote', '同上。']]);
    expect(doc.text).not.toMatch(/— \d —/);
  });
  it('reads text under a rule as body where it is no note: as large as the body, or under a rule across the page (a 公文’s 版记)', () => {
    const large = [body('抄送：县纪委监委，县委组织部。', 95)];
    const asLarge = layoutPdf([pageOne(large), pageTwo]);
    expect(linesOf(asLarge).filter(([k]) => k === 'footnote')).toEqual([]);
    expect(asLarge.text).toContain('抄送：县纪委监委，县委组织部。');
    const across = [{ x0: L, y0: 112.5, x1: 521.5, y1: 112.5 }];
    const copied = [note('抄送：县纪委监委，县委组织部，县委巡察办，县财政局。', 101.2)];
    const doc = layoutPdf([pageOne(copied, across), pageTwo]);
    expect(linesOf(doc).filter(([k]) => k === 'footnote')).toEqual([]);
    expect(doc.text).toContain('抄送：县纪委监委，县委组织部，县委巡察办，县财政局。');
  });
  it('leaves no space where a note’s mark was taken out between two Chinese characters (彻底¹²。)', () => {
    const doc = layoutPdf([{ width: 595, height: 842, items: [body('部分问题整改不彻底', 706.8), mark('12', 223.5, 706.8), body('。', 706.8, 237.3)] }]);
    expect(doc.text).toBe('部分问题整改不彻底。');
  });
});

describe('PDF running header over a rule, on a page of its own', () => {
  // 页眉 as Chinese Word and WPS set it: 9pt, centred, its style's bottom border a rule across the text width.
  const header = { str: '中共某县委巡察工作领导小组办公室', x: 225.5, y: 775.3, width: 144, height: 9 };
  const rule = { x0: 79.4, y0: 770.5, x1: 521.5, y1: 770.5 };
  const rest = [item('关于县财政局党组巡察整改进展情况的通报', 91.6, 748.6, 22), item('一、整改落实情况', 111.5, 720.6), item('全额清退违规资金，已全部完成整改。', 111.5, 692.6)];
  it('leaves it out, though it cannot repeat', () => {
    const doc = layoutPdf([{ ...page([header, ...rest]), rules: [rule] }]);
    expect(doc.text.split('\n')).toEqual(['关于县财政局党组巡察整改进展情况的通报', '一、整改落实情况', '全额清退违规资金，已全部完成整改。']);
  });
  it('keeps a small first line over a table’s top rule (vertical rules meet it), and one without a rule', () => {
    const table = [rule, { x0: 79.4, y0: 770.5, x1: 79.4, y1: 700 }, { x0: 521.5, y0: 770.5, x1: 521.5, y1: 700 }];
    expect(layoutPdf([{ ...page([header, ...rest]), rules: table }]).text).toContain('中共某县委巡察工作领导小组办公室');
    expect(layoutPdf([page([header, ...rest])]).text).toContain('中共某县委巡察工作领导小组办公室');
  });
});

describe('PDF table of contents', () => {
  // As LibreOffice prints one: the title 目 录 centred at 22pt under the document's title, each entry a heading and
  // a run of dots that ends in its page number at the right margin.
  const run = (str: string, x: number, y: number, size = 16): Item => ({ str, x, y, width: [...str].length * (/[.\d]/.test(str[0]!) ? size / 2 : size), height: size });
  const dots = (n: number): string => `${'.'.repeat(55)}${n}`;
  const title = [run('关于县财政局党组巡察整改进展情况的通报', 91.6, 748.6, 22), run('目', 267.6, 720.6, 22), run(' ', 289.6, 720.6, 22), run('录', 311.6, 720.6, 22)];
  const entries = [
    run('一、下一步工作打算', 79.5, 692.6), run(dots(1), 223.4, 692.6),
    run('二、关于落实全面从严治党主体责任不到位的问题整改落实情况和', 79.5, 664.6),
    run('下一步工作打算', 79.5, 636.6), run(dots(2), 223.4, 636.6),
  ];
  const text = [run('一、下一步工作打算', 111.5, 608.6), run('部分党支部“三重一大”决策制度执行不严格，涉及', 111.5, 580.6)];
  it('leaves out the title 目录 and its entries (a wrapped heading too), as the other readers do, and says so', () => {
    const doc = layoutPdf([{ width: 595, height: 842, items: [...title, ...entries, ...text] }]);
    expect(doc.text.split('\n')).toEqual(['关于县财政局党组巡察整改进展情况的通报', '一、下一步工作打算', '部分党支部“三重一大”决策制度执行不严格，涉及']);
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_PDF_CONTENTS_DROPPED', message: '4 line(s) of a table of contents were left out' });
  });
  it('keeps a line of the text that happens to end in dots and a number, alone and without the title', () => {
    const doc = layoutPdf([{ width: 595, height: 842, items: [run('一、下一步工作打算', 111.5, 692.6), run('工作任务……已完成第', 79.5, 664.6), run('......3', 239.5, 664.6)] }]);
    expect(doc.text).toContain('工作任务');
    expect(doc.diagnostics.map((d) => d.code)).not.toContain('XUNSHI_PDF_CONTENTS_DROPPED');
  });
});

describe('PDF layout of a page set in columns', () => {
  const size = 12;
  const pitch = 16;
  /** A paragraph of about `n` characters, told apart by its number. */
  const para = (k: number, n: number): string => {
    let s = `第${k}段：`;
    const words = '巡视发现该单位违规发放津贴补贴问题突出，整改责任落实不到位，监督执纪宽松软，选人用人把关不严，';
    for (let i = 0; s.length < n - 1; i++) s += words[(i + k) % words.length];
    return s.replace(/，$/, '') + '。';
  };
  /**
   * Paragraphs set in columns at `xs` (each `chars` characters wide), the first line of each indented two characters,
   * filling each column from `top` down before the next, balanced as CSS columns are. Returns the runs: one run a line
   * and column.
   */
  const flow = (paragraphs: string[], xs: number[], top: number, chars: number, lineSize = size, dy = pitch): Item[] => {
    const out: Item[] = [];
    const total = paragraphs.reduce((s, p) => s + Math.ceil((p.length + 2) / chars), 0);
    const rows = Math.ceil(total / xs.length);
    let slot = 0;
    for (const p of paragraphs) {
      let rest = p;
      let first = true;
      while (rest.length > 0) {
        const n = first ? chars - 2 : chars;
        const col = Math.floor(slot / rows);
        if (col >= xs.length) throw new Error('the columns are full');
        out.push(item(rest.slice(0, n), xs[col]! + (first ? 2 * lineSize : 0), top - (slot % rows) * dy, lineSize));
        rest = rest.slice(n);
        first = false;
        slot++;
      }
    }
    return out;
  };
  const letter = (items: Item[]) => ({ width: 612, height: 792, items });
  // Two columns of 20 characters (240 pt) with a 24 pt gutter, from x = 54 to 558.
  const two = [54, 318];

  it('reads a title, an abstract across the page and two columns: the title block first, then the left column, then the right one', () => {
    const ps = [para(1, 50), para(2, 75), para(3, 64), para(4, 90), para(5, 43)];
    const abstract = '摘要：' + para(9, 120).slice(0, 100) + '。';
    const doc = layoutPdf([
      letter([
        item('巡视整改“后半篇文章”为何难写好', 162, 740, 18),
        ...flow([abstract], [54], 710, 42),
        ...flow(ps, two, 640, 20),
      ]),
    ]);
    // The fourth paragraph runs from the foot of the left column to the head of the right one: one paragraph.
    expect(doc.text.split('\n')).toEqual(['巡视整改“后半篇文章”为何难写好', abstract, ...ps]);
  });

  it('reads a figure caption set across the page in place: the columns above it, the caption, the columns below', () => {
    const above = [para(1, 60), para(2, 44), para(3, 52), para(4, 38)];
    const below = [para(5, 58), para(6, 40), para(7, 66), para(8, 36)];
    const caption = '图1　某某市委巡视整改问题完成情况统计（2023—2024年），按问题类别分列';
    const doc = layoutPdf([letter([...flow(above, two, 740, 20), item(caption, 306 - (caption.length * 10) / 2, 620, 10), ...flow(below, two, 590, 20)])]);
    expect(doc.text.split('\n')).toEqual([...above, caption, ...below]);
  });

  it('reads three columns left to right', () => {
    const ps = [para(1, 40), para(2, 52), para(3, 33), para(4, 47), para(5, 61), para(6, 29), para(7, 45)];
    // Three columns of 13 characters (156 pt) with 18 pt gutters.
    const doc = layoutPdf([letter(flow(ps, [54, 228, 402], 740, 13))]);
    expect(doc.text.split('\n')).toEqual(ps);
  });

  it('reads a running header set smaller than the text, a line above three columns and over the middle one, in place, and drops it as an edge', () => {
    const ps = [para(1, 40), para(2, 52), para(3, 33), para(4, 47), para(5, 61), para(6, 29), para(7, 45)];
    const qs = ps.map((p) => p.replace('段', '节'));
    // A line pitch above the columns (no more apart than their lines), 9 pt, centred on the page: over the middle column.
    const pageOf = (paragraphs: string[]) => letter([item('某某学报　2024年第3期', 306 - (11 * 9) / 2, 756, 9), ...flow(paragraphs, [54, 228, 402], 740, 13)]);
    const doc = layoutPdf([pageOf(ps), pageOf(qs)]);
    expect(doc.text.split('\n')).toEqual([...ps, ...qs]);
  });

  it('reads columns whose baselines do not line up (a heading moved the right column down half a line)', () => {
    const ps = [para(1, 50), para(2, 70), para(3, 64), para(4, 90), para(5, 43)];
    const runs = flow(ps, two, 700, 20).map((it) => (it.x > 300 ? { ...it, y: it.y - 8 } : it));
    expect(layoutPdf([letter(runs)]).text.split('\n')).toEqual(ps);
  });

  it('reads a running header and a page number above and below two columns in place, and drops them as edges', () => {
    const ps = [para(1, 50), para(2, 75), para(3, 64), para(4, 90), para(5, 43)];
    const pageOf = (n: number, paragraphs: string[]) => letter([item('某某学报', 54, 760, 9), item(`2024年第${n}期`, 513, 760, 9), ...flow(paragraphs, two, 720, 20), item(String(n), 54, 36, 9)]);
    const doc = layoutPdf([pageOf(1, ps), pageOf(2, ps.map((p) => p.replace('段', '节')))]);
    expect(doc.text.split('\n')).toEqual([...ps, ...ps.map((p) => p.replace('段', '节'))]);
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_PDF_EDGES_DROPPED']);
  });

  it('reads the short last page of a document in columns in columns too, and a paragraph across the page break as one', () => {
    const ps = [para(1, 50), para(2, 75), para(3, 64), para(4, 90), para(5, 43)];
    const last = [para(6, 30), para(7, 36), para(8, 20)];
    const runs = flow(last, two, 720, 20);
    expect(runs.filter((it) => it.x > 300)).toHaveLength(3);
    const doc = layoutPdf([letter(flow(ps, two, 720, 20)), letter(runs)]);
    expect(doc.text.split('\n')).toEqual([...ps, ...last]);
  });

  it('reads a borderless table of a one-column 公文 by rows of cells, not as a page in columns: its cells leave white bands, but its columns are not running text of similar widths', () => {
    const a4 = { width: 595, height: 842 };
    const rows: Item[] = [];
    let y = 560;
    for (let k = 1; k <= 5; k++) {
      const problem = `问题${k}：${para(k, 30).slice(4)}`;
      const measure = `措施${k}：${para(k + 3, 28).slice(4)}`;
      const cells = [
        { x: 79, chars: 2, text: String(k) },
        { x: 115, chars: 11, text: problem },
        { x: 265, chars: 11, text: measure },
        { x: 415, chars: 4, text: '县财政局' },
        { x: 475, chars: 3, text: '长期坚持' },
      ];
      let lines = 0;
      for (const c of cells) {
        for (let i = 0; i * c.chars < c.text.length; i++) rows.push(item(c.text.slice(i * c.chars, (i + 1) * c.chars), c.x, y - i * pitch, size));
        lines = Math.max(lines, Math.ceil(c.text.length / c.chars));
      }
      y -= lines * pitch + 8;
    }
    const doc = layoutPdf([{ ...a4, items: [item('一、整改任务清单', 111, 620, 16), item('序号', 79, 590, size), item('存在问题', 115, 590, size), item('整改措施', 265, 590, size), item('责任单位', 415, 590, size), item('时限', 475, 590, size), ...rows] }]);
    const lines = doc.text.split('\n');
    // Rows of cells (pdf-stream-tables.ts), each cell's wrapped lines joined; never the columns one after the other.
    expect(lines).toEqual([
      '一、整改任务清单',
      '序号\t存在问题\t整改措施\t责任单位\t时限',
      ...[1, 2, 3, 4, 5].map((k) => `${k}\t问题${k}：${para(k, 30).slice(4)}\t措施${k}：${para(k + 3, 28).slice(4)}\t县财政局\t长期坚持`),
    ]);
  });

  describe('a journal article and a report set in two columns, as LibreOffice and Word print them', () => {
    // Two columns of 20 characters (240 pt) with a 24 pt gutter, from x = 54 to 558; pages of US letter, text to y = 100.
    const title = '巡视整改“后半篇文章”为何难写好';
    /** Lines of `text` from x0 to x1 at `lineSize`, the first indented `indent` characters. */
    const block = (text: string, x0: number, x1: number, top: number, lineSize: number, indent = 0): Item[] => {
      const out: Item[] = [];
      const chars = Math.floor((x1 - x0) / lineSize);
      for (let rest = text, i = 0; rest.length > 0; i++) {
        const n = i === 0 ? chars - indent : chars;
        out.push(item(rest.slice(0, n), x0 + (i === 0 ? indent * lineSize : 0), top - i * pitch, lineSize));
        rest = rest.slice(n);
      }
      return out;
    };
    /** A full page of two columns: paragraphs flowed over 40 lines a column, from y = 724 down to y = 100. */
    const fullPage = (k: number): { items: Item[]; paragraphs: string[] } => {
      const paragraphs = Array.from({ length: 20 }, (_, i) => para(k + i, 78));
      return { items: flow(paragraphs, two, 724, 20), paragraphs };
    };

    it('reads an abstract set smaller and two characters in on each side, its 关键词 line, and columns whose paragraphs are mostly of one or two lines', () => {
      // Most column lines are first lines (headings and short paragraphs): a column's edge is where its lines wrap to.
      // The abstract at 10 pt, 27 pt in on each side: 45 characters a line.
      const abstract = '摘要：' + para(9, 160).slice(0, 130) + '。';
      const keywords = '关键词：巡视整改；全面从严治党；政治监督';
      const ps = ['一、问题的提出', para(1, 36), '二、整改的难点', para(2, 38), '三、对策', para(3, 30), '四、结语', para(4, 37), '五、余论', para(5, 18), '六、附记', para(6, 38)];
      const doc = layoutPdf([
        letter([item(title, 162, 740, 18), ...block(abstract, 81, 531, 710, 10), item(keywords, 81, 710 - 3 * pitch, 10), ...flow(ps, two, 610, 20)]),
      ]);
      expect(doc.text.split('\n')).toEqual([title, abstract, keywords, ...ps]);
    });

    it('reads what is set under a section’s balanced columns (附件, a signature) after its right column, and the left column’s last line one pitch lower before it', () => {
      const first = fullPage(1);
      // The second page: the section ends in balanced columns (the left one a line longer, its last line a heading whose
      // paragraph opens the right column), and what follows is set under them across the page.
      const ps = [para(20, 62), para(21, 40), '三、下一步工作打算', para(22, 58), para(23, 62)];
      const runs = flow(ps, two, 724, 20);
      const leftLow = extentOf(runs.filter((r) => r.x < 300), (r) => r.y)[0];
      const rightLow = extentOf(runs.filter((r) => r.x > 300), (r) => r.y)[0];
      expect([leftLow, rightLow]).toEqual([724 - 7 * pitch, 724 - 6 * pitch]);
      const tail = [item('附件：1.县财政局巡察整改台账', 78, leftLow - pitch, size), item('2.整改责任清单', 150, leftLow - 2 * pitch, size), item('中共某某县财政局党组', 558 - 10 * size, leftLow - 4 * pitch, size), item('2024年3月7日', 558 - 8 * size, leftLow - 5 * pitch, size)];
      const doc = layoutPdf([letter(first.items), letter([...runs, ...tail])]);
      expect(doc.text.split('\n')).toEqual([...first.paragraphs, ...ps, '附件：1.县财政局巡察整改台账', '2.整改责任清单', '中共某某县财政局党组', '2024年3月7日']);
    });

    it('keeps the lines of a left column that runs on below a right column cut short (a line with its note went over to the next page)', () => {
      const first = fullPage(1);
      // The second page: the left column full for 12 lines, the right one 2 lines; the third page goes on.
      const left = para(30, 12 * 20 + 2);
      const right = para(31, 30);
      const runs = [...block(left, 54, 294, 724, size, 2), ...block(right, 318, 558, 724, size, 2)];
      const third = [...block(para(32, 50), 54, 294, 724, size, 2), ...block(para(33, 40), 318, 558, 724, size, 2)];
      const doc = layoutPdf([letter(first.items), letter(runs), letter(third)]);
      expect(doc.text.split('\n')).toEqual([...first.paragraphs, left, right, para(32, 50), para(33, 40)]);
    });

    it('keeps short lines at the foot of a full left column of a one-page document before its right column', () => {
      // The left column runs to the foot of the page (as deep as its top margin is high: 56 pt) and ends with a list of
      // short items under the right column's last line. Nothing is set under the columns: the list is the left column's.
      // Text without commas, so that no line of the block starts with one.
      const plain = (n: number): string => '巡视发现该单位违规发放津贴补贴问题突出整改责任落实不到位'.repeat(40).slice(0, n - 1) + '。';
      const text = plain(36 * 20 - 2);
      const items = ['（1）建立问题清单；', '（2）建立任务清单；', '（3）建立责任清单。'];
      const right = plain(36 * 20 - 2);
      const runs = [
        ...block(text, 54, 294, 724, size, 2),
        ...items.map((t, i) => item(t, 78, 724 - (36 + i) * pitch, size)),
        ...block(right, 318, 558, 724, size, 2),
      ];
      const doc = layoutPdf([{ width: 612, height: 792, items: runs }]);
      expect(extentOf(runs, (r) => r.y)[0]).toBe(724 - 38 * pitch);
      expect(doc.text.split('\n')).toEqual([text, ...items, right]);
    });

    it('keeps the foot of a left column that reaches the footnote separator, under a right column two lines short (a line with a note went over)', () => {
      const plain = (k: number, n: number): string => `第${k}段：` + '巡视发现该单位违规发放津贴补贴问题突出整改责任落实不到位'.repeat(40).slice(0, n - 5) + '。';
      // The left column: 30 lines down to y = 260, its last one short; the right: 28 lines; the separator at y = 244.
      const left = plain(1, 18 + 28 * 20 + 10);
      const right = plain(2, 18 + 27 * 20);
      const note = '参见《中国共产党巡视工作条例》第十五条。';
      const first = {
        width: 612,
        height: 792,
        items: [...block(left, 54, 294, 724, size, 2), ...block(right, 318, 558, 724, size, 2), item('1', 54, 230, 9), item(note, 63, 230, 9)],
        rules: [{ x0: 54, y0: 244, x1: 150, y1: 244 }],
      };
      const second = fullPage(3);
      const doc = layoutPdf([first, letter(second.items)]);
      expect(extentOf(first.items.filter((r) => r.x < 300 && r.height === size), (r) => r.y)[0]).toBe(724 - 29 * pitch);
      expect(extentOf(second.items, (r) => r.y)[0]).toBe(724 - 39 * pitch);
      expect(doc.text.split('\n')).toEqual([left, right, ...second.paragraphs, note]);
    });

    it('reads a last page of two lines a column in columns, under a running header that ends short of the right column and over a signature under the right column', () => {
      const header = (y: number) => item('中共某县委巡察工作领导小组办公室', 306 - 8 * 9, y, 9);
      const first = fullPage(1);
      // The last page: a paragraph over the left column's two lines and the right one's first, then a signature.
      const last = para(40, 2 * 20 + 14);
      const runs = [item(last.slice(0, 18), 78, 724, size), item(last.slice(18, 38), 54, 724 - pitch, size), item(last.slice(38), 318, 724, size)];
      const signature = [item('中共某某县财政局党组', 558 - 10 * size, 724 - 2 * pitch, size), item('2024年3月7日', 558 - 8 * size, 724 - 3 * pitch, size)];
      const doc = layoutPdf([letter([header(744), ...first.items]), letter([header(744), ...runs, ...signature])]);
      expect(doc.text.split('\n')).toEqual([...first.paragraphs, last, '中共某某县财政局党组', '2024年3月7日']);
    });
  });

  it('keeps a one-column 公文 with a quotation indented on both sides, a right-aligned signature and date as it was', () => {
    const doc = layoutPdf([
      page([
        item('一、提高政治站位，扎实推进巡察整改', 111, 700),
        item('县委书记在整改动员会上强调：', 111, 672),
        // A quotation two characters in on each side, over six lines.
        ...[0, 1, 2, 3, 4, 5].map((i) => item('巡察整改是检验“两个维护”的试金石，各级党组织必'.slice(0, 23).replace(/./, String(i)), 111, 644 - i * 28)),
        item('会后，各单位迅速制定整改方案，明确责任分工和完成时限，建立', 111, 476),
        item('整改台账，实行销号管理。', 79, 448),
        item('中共某某县财政局党组', 329, 380),
        item('2024年5月6日', 361, 352),
      ]),
    ]);
    expect(doc.text.split('\n')).toEqual([
      '一、提高政治站位，扎实推进巡察整改',
      '县委书记在整改动员会上强调：',
      ...[0, 1, 2, 3, 4, 5].map((i) => '巡察整改是检验“两个维护”的试金石，各级党组织必'.slice(0, 23).replace(/./, String(i))),
      '会后，各单位迅速制定整改方案，明确责任分工和完成时限，建立整改台账，实行销号管理。',
      '中共某某县财政局党组',
      '2024年5月6日',
    ]);
  });
});

describe('PDF layout of a long document', () => {
  it('joins wrapped lines without reading the text back: each read copied the whole text, quadratic in the document (500 pages took 34 s)', () => {
    // 40 pages of one paragraph each, every line full: 1,600 joins, with a space between Latin words across a wrap.
    const pages = Array.from({ length: 40 }, () => page(Array.from({ length: 40 }, (_, i) => item(i % 2 ? 'Zhi巡察整改进展情况通报巡察整改进展情况通报巡察整改进' : 'Plan整改进展情况通报巡察整改进展情况通报巡察abc', 79, 760 - i * 17))));
    const read = vi.spyOn(ExtractedTextBuilder.prototype, 'lastLine');
    try {
      const doc = layoutPdf(pages);
      expect(doc.text.split('\n')).toHaveLength(1);
      expect(doc.text).toContain('巡察abc Zhi巡察');
      expect(doc.text).toContain('巡察整改进Plan整改');
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });
  it('reads a line of 400,000 one-character runs (a crafted page): no RangeError from spreading the runs into Math.max', () => {
    const runs = Array.from({ length: 400_000 }, (_, i) => ({ str: '字', x: 79 + (i % 400), y: 700, width: 1, height: 16 }));
    const doc = layoutPdf([page(runs)]);
    expect(doc.text).toHaveLength(400_000);
    expect(extentOf(runs, (r) => r.x)).toEqual([79, 478]);
    expect(extentOf([], (r: number) => r)).toEqual([Infinity, -Infinity]);
  });
  it('reads text set at a tiny size (0.000001 pt): no TypeError for a body size that rounds to 0, no gap of billions of spaces', async () => {
    const content = 'BT /F1 0.000001 Tf 50 700 Td (AAAA) Tj 400 0 Td (BBBB) Tj ET';
    const bytes = makeRawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    expect((await readDocumentAsync(bytes, { path: 'tiny.pdf' })).text).toBe('AAAA BBBB');
    // Chinese text: the gap between two runs is written as ideographic spaces, a bounded number of them.
    const doc = layoutPdf([page([item('巡察', 50, 700, 1e-9), item('整改', 450, 700, 1e-9)])]);
    expect(doc.text).toMatch(/^巡察\u3000{1,64}整改$/);
  });
});
