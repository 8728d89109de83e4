import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { extractDoc } from '../src/doc-read.js';
import { readDocumentAsync } from '../src/index.js';
import { makeDocx, makeWordBinary } from './support/fixtures.js';
import { NFC, makeNumberedWordBinary, type NumberedWordOptions, type WordList } from './support/word-lists.js';

const bodyLines = async (bytes: Uint8Array): Promise<string[]> => {
  const d = await extractDoc(bytes, { path: 'r.doc' });
  return d.lines.map((l) => d.text.slice(l.start, l.end));
};

/** A 公文's multilevel list: 一、 （一） 1. （1）, numbers touching the text (ixchFollow nothing). */
const GONGWEN: WordList = {
  lsid: 0x1234,
  levels: [
    { text: '%1、', nfc: NFC.chineseCounting, follow: 2 },
    { text: '（%2）', nfc: NFC.chineseCounting, follow: 2 },
    { text: '%3.', nfc: NFC.decimal, follow: 2 },
    { text: '（%4）', nfc: NFC.decimal, follow: 2 },
  ],
};
const ONE_LIST: NumberedWordOptions = { lists: [GONGWEN], overrides: [{ lsid: 0x1234 }] };

describe('Word 97 binary (.doc): automatic numbering', () => {
  it('writes the numbers Word shows: 一、 （一） 1. （1）, counted per level and restarted under a higher level', async () => {
    const bytes = makeNumberedWordBinary(
      [
        '关于巡视反馈意见整改情况的报告',
        { text: '总体情况', ilfo: 1, ilvl: 0 },
        { text: '学习方面', ilfo: 1, ilvl: 1 },
        { text: '学习不够深入。', ilfo: 1, ilvl: 2 },
        { text: '计划不落实。', ilfo: 1, ilvl: 2 },
        { text: '细项一。', ilfo: 1, ilvl: 3 },
        { text: '制度方面', ilfo: 1, ilvl: 1 },
        { text: '制度不健全。', ilfo: 1, ilvl: 2 },
        { text: '整改措施', ilfo: 1, ilvl: 0 },
        { text: '加强学习', ilfo: 1, ilvl: 1 },
      ],
      ONE_LIST,
    );
    expect(await bodyLines(bytes)).toEqual([
      '关于巡视反馈意见整改情况的报告',
      '一、总体情况',
      '（一）学习方面',
      '1.学习不够深入。',
      '2.计划不落实。',
      '（1）细项一。',
      '（二）制度方面',
      '1.制度不健全。',
      '二、整改措施',
      '（一）加强学习',
    ]);
    // The outline comes from the numbers, as from the same numbers typed.
    const doc = await readDocumentAsync(bytes, { path: 'r.doc' });
    const typed = await readDocumentAsync(makeWordBinary(await bodyLines(bytes)), { path: 'r.doc' });
    expect(doc.text).toBe(typed.text);
    expect(doc.headings).toEqual(typed.headings);
    expect(doc.headings.length).toBeGreaterThan(3);
  });

  it('writes each number format of a report, with the follow character Word puts after it', async () => {
    const list = (lsid: number, text: string, nfc: number, follow?: number): WordList => ({ lsid, simple: true, levels: [{ text, nfc, ...(follow !== undefined ? { follow } : {}) }] });
    const bytes = makeNumberedWordBinary(
      [
        { text: '甲', ilfo: 1 },
        { text: '乙', ilfo: 1 },
        { text: '丙', ilfo: 2 },
        { text: '丁', ilfo: 2 },
        { text: '戊', ilfo: 3 },
        { text: '己', ilfo: 4 },
        { text: '庚', ilfo: 5 },
        { text: '辛', ilfo: 6 },
        { text: '壬', ilfo: 7 },
        { text: '癸', ilfo: 8 },
        { text: '子', ilfo: 9 },
      ],
      {
        lists: [
          list(1, '%1.', NFC.decimal), // tab after: a space before the text (a digit ends the number)
          list(2, '第%1条', NFC.chineseCounting, 1),
          list(3, '（%1）', NFC.chineseCounting),
          list(4, '%1', NFC.decimalEnclosedParen),
          list(5, '%1、', NFC.ideographTraditional),
          list(6, '%1', NFC.decimalEnclosedCircleChinese, 2),
          list(7, '', NFC.bullet),
          list(8, '%1)', NFC.lowerLetter),
          list(9, '%1', NFC.decimal, 2),
        ],
        overrides: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((lsid) => ({ lsid })),
      },
    );
    expect(await bodyLines(bytes)).toEqual(['1.甲', '2.乙', '第一条 丙', '第二条 丁', '（一）戊', '⑴己', '甲、庚', '①辛', '壬', 'a)癸', '1子']);
  });

  it('numbers through a paragraph style (a heading style linked to a level), inherited through istdBase', async () => {
    const bytes = makeNumberedWordBinary(
      [
        '报告',
        { text: '总体情况', istd: 1 },
        { text: '学习方面', istd: 2 },
        '正文段落。',
        { text: '制度方面', istd: 2 },
        { text: '整改措施', istd: 1 },
        { text: '不编号的标题', istd: 3 },
        { text: '加强学习', istd: 12 },
        { text: '健全制度', istd: 4 },
      ],
      {
        ...ONE_LIST,
        lists: [{ ...GONGWEN, levels: GONGWEN.levels.map((l, i) => (i === 1 ? { ...l, style: 12 } : l)) }],
        styles: [
          { istd: 1, ilfo: 1, ilvl: 0 },
          { istd: 2, ilfo: 1, ilvl: 1 },
          // A style based on a numbered one that takes the numbering off (ilfo 0).
          { istd: 3, base: 1, ilfo: 0 },
          // Numbered without a level: the level that names the style (LSTF.rgistdPara).
          { istd: 12, ilfo: 1 },
          // Numbered by the style it is based on.
          { istd: 4, base: 2 },
        ],
      },
    );
    expect(await bodyLines(bytes)).toEqual(['报告', '一、总体情况', '（一）学习方面', '正文段落。', '（二）制度方面', '二、整改措施', '不编号的标题', '（一）加强学习', '（二）健全制度']);
  });

  it('continues a list across unnumbered paragraphs and other lists, and counts a numbered paragraph without text', async () => {
    const bytes = makeNumberedWordBinary(
      [
        { text: '第一项。', ilfo: 1, ilvl: 2 },
        '说明段落。',
        { text: '另一列表。', ilfo: 2 },
        { text: '第二项。', ilfo: 1, ilvl: 2 },
        { text: '', ilfo: 1, ilvl: 2 },
        { text: '第四项。', ilfo: 1, ilvl: 2 },
        // A second LFO of the same list continues its numbers (counters belong to the list).
        { text: '第五项。', ilfo: 3, ilvl: 2 },
      ],
      { lists: [GONGWEN, { lsid: 7, simple: true, levels: [{ text: '%1）', nfc: NFC.decimal, follow: 2 }] }], overrides: [{ lsid: 0x1234 }, { lsid: 7 }, { lsid: 0x1234 }] },
    );
    expect(await bodyLines(bytes)).toEqual(['1.第一项。', '说明段落。', '1）另一列表。', '2.第二项。', '4.第四项。', '5.第五项。']);
  });

  it("reads start values, an override's start-at (where the LFO is first used) and an overriding level", async () => {
    const bytes = makeNumberedWordBinary(
      [
        { text: '甲', ilfo: 1, ilvl: 0 },
        { text: '乙', ilfo: 1, ilvl: 0 },
        { text: '丙', ilfo: 2, ilvl: 0 },
        { text: '丁', ilfo: 2, ilvl: 0 },
        { text: '戊', ilfo: 3, ilvl: 0 },
        { text: '己', ilfo: 4, ilvl: 2 },
      ],
      {
        lists: [
          { lsid: 1, levels: [{ text: '%1、', nfc: NFC.chineseCounting, start: 3, follow: 2 }, { text: '%2' }, { text: '%1.%3', nfc: NFC.decimal, follow: 2 }] },
          { lsid: 2, levels: [{ text: '%1.', nfc: NFC.decimal, follow: 2 }] },
        ],
        overrides: [
          { lsid: 1 },
          { lsid: 1, levels: [{ ilvl: 0, startAt: 8 }] },
          { lsid: 1, levels: [{ ilvl: 0, level: { text: '第%1部分', nfc: NFC.chineseCounting, start: 2, follow: 2 } }] },
          { lsid: 1, levels: [{ ilvl: 2, startAt: 5 }] },
        ],
      },
    );
    expect(await bodyLines(bytes)).toEqual(['三、甲', '四、乙', '八、丙', '九、丁', '第十部分戊', '十.5己']);
  });

  it('keeps a level counting under a higher one when it says so (fNoRestart, ilvlRestartLim), and fLegal writes digits', async () => {
    const bytes = makeNumberedWordBinary(
      [
        { text: 'A', ilfo: 1, ilvl: 0 },
        { text: 'a', ilfo: 1, ilvl: 1 },
        { text: 'x', ilfo: 1, ilvl: 2 },
        { text: 'B', ilfo: 1, ilvl: 0 },
        { text: 'b', ilfo: 1, ilvl: 1 },
        { text: 'y', ilfo: 1, ilvl: 2 },
        { text: 'c', ilfo: 1, ilvl: 1 },
        { text: 'z', ilfo: 1, ilvl: 2 },
      ],
      {
        lists: [
          {
            lsid: 1,
            levels: [
              { text: '%1、', nfc: NFC.chineseCounting, follow: 2 },
              // Never restarts.
              { text: '（%2）', nfc: NFC.chineseCounting, follow: 2, restartLimit: 0 },
              // Restarts after level 1 only (ilvlRestartLim 1), not after level 2; legal numbering: 2.3 in digits.
              { text: '%1.%3', nfc: NFC.chineseCounting, follow: 2, restartLimit: 1, legal: true },
            ],
          },
        ],
        overrides: [{ lsid: 1 }],
      },
    );
    expect(await bodyLines(bytes)).toEqual(['一、A', '（一）a', '1.1x', '二、B', '（二）b', '2.1y', '（三）c', '2.2z']);
  });

  it('leaves a hidden number out, and a paragraph of a list or level that is not defined unnumbered', async () => {
    const bytes = makeNumberedWordBinary(
      [
        { text: '甲', ilfo: 1 },
        { text: '乙', ilfo: 9 },
        { text: '丙', ilfo: 2, ilvl: 3 },
        { text: '丁', ilfo: -2047 },
        { text: '戊', ilfo: 2 },
      ],
      { lists: [{ lsid: 1, simple: true, levels: [{ text: '%1.', hidden: true }] }, { lsid: 2, simple: true, levels: [{ text: '%1.', follow: 2 }] }], overrides: [{ lsid: 1 }, { lsid: 2 }] },
    );
    expect(await bodyLines(bytes)).toEqual(['甲', '乙', '丙', '丁', '1.戊']);
  });

  it('numbers the cells of a 序号 column, where the number alone is the cell, and never a row end', async () => {
    const serial = { lsid: 5, simple: true, levels: [{ text: '%1', nfc: NFC.decimal, follow: 2 }] };
    const bytes = makeNumberedWordBinary(
      [
        '整改台账',
        {
          table: [
            ['序号', '问题', '措施'],
            [{ text: '', ilfo: 2 }, '学习不深入', '制定计划'],
            [{ text: '', ilfo: 2 }, '制度不健全', { text: '修订制度', ilfo: 1, ilvl: 2 }],
          ],
        },
        { text: '其他问题', ilfo: 1, ilvl: 0 },
      ],
      { lists: [GONGWEN, serial], overrides: [{ lsid: 0x1234 }, { lsid: 5 }] },
    );
    const d = await extractDoc(bytes, { path: 'r.doc' });
    expect(d.lines.map((l) => [l.kind, l.cells ? l.cells.map((c) => d.text.slice(c.start, c.end)) : d.text.slice(l.start, l.end)])).toEqual([
      ['body', '整改台账'],
      ['row', ['序号', '问题', '措施']],
      ['row', ['1', '学习不深入', '制定计划']],
      ['row', ['2', '制度不健全', '1.修订制度']],
      ['body', '一、其他问题'],
    ]);
  });

  it('numbers as the .docx reader does for the same lists and paragraphs (property)', async () => {
    const FORMATS: [string, number][] = [['decimal', NFC.decimal], ['chineseCounting', NFC.chineseCounting], ['decimalEnclosedParen', NFC.decimalEnclosedParen], ['ideographTraditional', NFC.ideographTraditional], ['lowerLetter', NFC.lowerLetter], ['upperRoman', NFC.upperRoman], ['decimalEnclosedCircleChinese', NFC.decimalEnclosedCircleChinese]];
    const TEXTS = ['%L、', '（%L）', '%L.', '%1.%L', '第%L条'];
    const SUFF = ['tab', 'space', 'nothing'];
    const level = fc.record({ fmt: fc.nat(FORMATS.length - 1), text: fc.nat(TEXTS.length - 1), start: fc.nat(5), follow: fc.nat(2), restart: fc.option(fc.nat(3), { nil: undefined }), legal: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(level, { minLength: 4, maxLength: 4 }),
        fc.array(fc.option(fc.record({ ilvl: fc.nat(3), start: fc.integer({ min: 1, max: 30 }) }), { nil: undefined }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ num: fc.nat(3), ilvl: fc.nat(3), empty: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        async (levels, nums, paragraphs) => {
          const textOf = (l: (typeof levels)[number], i: number): string => TEXTS[l.text]!.replace('%L', `%${i + 1}`);
          const restartOf = (l: (typeof levels)[number], i: number): number | undefined => (l.restart === undefined ? undefined : Math.min(l.restart, i));
          const xmlLevels = levels
            .map((l, i) => {
              const r = restartOf(l, i);
              return `<w:lvl w:ilvl="${i}"><w:start w:val="${l.start}"/><w:numFmt w:val="${FORMATS[l.fmt]![0]}"/>${r !== undefined ? `<w:lvlRestart w:val="${r}"/>` : ''}${l.legal ? '<w:isLgl/>' : ''}<w:suff w:val="${SUFF[l.follow]}"/><w:lvlText w:val="${textOf(l, i)}"/></w:lvl>`;
            })
            .join('');
          const xmlNums = nums.map((o, k) => `<w:num w:numId="${k + 1}"><w:abstractNumId w:val="0"/>${o ? `<w:lvlOverride w:ilvl="${o.ilvl}"><w:startOverride w:val="${o.start}"/></w:lvlOverride>` : ''}</w:num>`).join('');
          const blocks: ({ text: string } | { text: string; numbering: { numId: number; ilvl: number } })[] = [{ text: '标题' }];
          paragraphs.forEach((p, i) => {
            const text = p.empty ? '' : `第${i}段`;
            blocks.push(p.num === 0 || p.num > nums.length ? { text: `正文${i}` } : { text, numbering: { numId: p.num, ilvl: p.ilvl } });
          });
          const docx = await readDocumentAsync(await makeDocx(blocks, { numbering: `<w:abstractNum w:abstractNumId="0">${xmlLevels}</w:abstractNum>${xmlNums}` }), { path: 'n.docx' });
          const doc = await readDocumentAsync(
            makeNumberedWordBinary(
              blocks.map((b) => ('numbering' in b ? { text: b.text, ilfo: b.numbering.numId, ilvl: b.numbering.ilvl } : b.text)),
              {
                lists: [{ lsid: 77, levels: levels.map((l, i) => ({ text: textOf(l, i), nfc: FORMATS[l.fmt]![1], start: l.start, follow: l.follow, legal: l.legal, ...(restartOf(l, i) !== undefined ? { restartLimit: restartOf(l, i)! } : {}) })) }],
                overrides: nums.map((o) => ({ lsid: 77, ...(o ? { levels: [{ ilvl: o.ilvl, startAt: o.start }] } : {}) })),
              },
            ),
            { path: 'n.doc' },
          );
          expect(doc.text).toBe(docx.text);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds each paragraph mark through the piece table: a compressed (8-bit) piece, then a UTF-16 one', async () => {
    const bytes = makeNumberedWordBinary(
      ['Report', { text: 'Overview', ilfo: 1, ilvl: 0 }, { text: 'Study', ilfo: 1, ilvl: 1 }, { text: '制度方面', ilfo: 1, ilvl: 1 }, { text: '整改措施', ilfo: 1, ilvl: 0 }],
      { ...ONE_LIST, compressedBlocks: 3 },
    );
    expect(await bodyLines(bytes)).toEqual(['Report', '一、Overview', '（一）Study', '（二）制度方面', '二、整改措施']);
  });

  it('leaves the numbers out with a diagnostic when a list table is damaged, and reads the text all the same', async () => {
    const paragraphs = ['报告', { text: '总体情况', ilfo: 1, ilvl: 0 }, { text: '学习方面', ilfo: 1, ilvl: 1 }];
    const damages: [string, NumberedWordOptions['mutate'], RegExp][] = [
      ['more lists than the table holds', ({ table, plfLst }) => table.writeInt16LE(400, plfLst), /names 400 lists/],
      ['a level text past the end of the stream', ({ table, plfLst }) => table.writeUInt16LE(0xffff, plfLst + 2 + 28 + 28), /number text lies past the end/],
      ['the list table past the end of the stream', ({ word }) => word.writeUInt32LE(0x7fffffff, 0x2e2), /list table \(PlfLst\) lies past the end/],
      ['more overrides than the table holds', ({ table, plfLfo }) => table.writeInt32LE(1_000_000, plfLfo), /names 1000000 overrides/],
      ['paragraph properties past the end of their page', ({ word, table, btePapx }) => {
        const page = table.readUInt32LE(btePapx + 8) * 512;
        word[page + word[page + 4 * 4]! * 2 + 1] = 255;
      }, /has properties past its end/],
      ['a style running past the style sheet', ({ table, stsh }) => table.writeUInt16LE(0xfff0, stsh + 2 + 18), /style 0 runs past the end of the style sheet/],
    ];
    for (const [what, mutate, message] of damages) {
      const d = await extractDoc(makeNumberedWordBinary(paragraphs, { ...ONE_LIST, mutate }), { path: 'r.doc' });
      expect(d.lines.map((l) => d.text.slice(l.start, l.end)), what).toEqual(['报告', '总体情况', '学习方面']);
      expect(d.diagnostics.map((x) => x.code), what).toEqual(['XUNSHI_DOC_NUMBERING_DAMAGED']);
      expect(d.diagnostics[0]!.message, what).toMatch(message);
    }
    // More overrides than Word can number with (each is 16 bytes and a map entry): refused, not kept in memory.
    const many = await extractDoc(makeNumberedWordBinary(paragraphs, { ...ONE_LIST, overrides: Array.from({ length: 40_000 }, () => ({ lsid: 0x1234 })) }), { path: 'r.doc' });
    expect(many.diagnostics.map((x) => x.message)).toEqual([expect.stringMatching(/holds 40000 overrides, more than Word numbers with/)]);
    // A document without lists gives no diagnostic and the text as it was.
    const plain = await extractDoc(makeWordBinary(['报告', '一、总体情况']), { path: 'r.doc' });
    expect(plain.diagnostics).toEqual([]);
  });

  it('reads any damage to the list tables, style sheet and property pages without failing or hanging (property)', async () => {
    const base = { lists: [GONGWEN, { lsid: 9, simple: true, levels: [{ text: '%1.', nfc: NFC.decimal }] }], overrides: [{ lsid: 0x1234, levels: [{ ilvl: 1, startAt: 4 }, { ilvl: 0, level: { text: '%1.' } }] }, { lsid: 9 }], styles: [{ istd: 1, ilfo: 1, ilvl: 0 }] };
    const paragraphs = ['报告', { text: '总体情况', istd: 1 }, { text: '学习方面', ilfo: 1, ilvl: 1 }, { text: '第一项', ilfo: 2 }];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('lst', 'lfo', 'stsh', 'bte', 'fkp'), fc.nat(400), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        async (edits) => {
          const bytes = makeNumberedWordBinary(paragraphs, {
            ...base,
            mutate: ({ word, table, plfLst, plfLfo, stsh, btePapx }) => {
              // The property page, found before any edit (an edited bin table may name a page of text).
              const page = table.readUInt32LE(btePapx + 8) * 512;
              for (const [where, offset, value] of edits) {
                if (where === 'fkp') {
                  word[page + (offset % 512)] = value;
                } else {
                  const at = { lst: plfLst, lfo: plfLfo, stsh, bte: btePapx }[where] + offset;
                  if (at < table.length) table[at] = value;
                }
              }
            },
          });
          // Damaged property pages are word-extractor's too: it may refuse the document (INPUT_CORRUPT), as before.
          const pages = edits.some(([where]) => where === 'bte' || where === 'fkp');
          let d: Awaited<ReturnType<typeof extractDoc>>;
          try {
            d = await extractDoc(bytes, { path: 'r.doc' });
          } catch (e) {
            expect(pages && e instanceof XunshiError && e.code === ERROR_CODES.INPUT_CORRUPT).toBe(true);
            return;
          }
          const text = d.lines.map((l) => d.text.slice(l.start, l.end));
          // The paragraphs' own text is always there, numbered or not.
          expect(text.join('\n')).toMatch(/报告[\s\S]*总体情况[\s\S]*学习方面[\s\S]*第一项/);
          expect(d.diagnostics.every((x) => x.code === 'XUNSHI_DOC_NUMBERING_DAMAGED')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
