import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { extractXls, rkNumber } from '../src/xls-read.js';
import { readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { makeWordBinary, makeXlsx } from './support/fixtures.js';
import { extractXlsx } from '../src/xlsx-read.js';
import { makeXls, type XlsCell } from './support/xls-fixtures.js';
import { failure } from './support/failure.js';

const lines = (bytes: Uint8Array) => {
  const d = extractXls(bytes, { path: 'a.xls' });
  return d.lines.map((l) => ({ kind: l.kind, text: d.text.slice(l.start, l.end), ...(l.cells ? { cells: l.cells.map((c) => d.text.slice(c.start, c.end)) } : {}) }));
};
const texts = (bytes: Uint8Array): string[] => lines(bytes).map((l) => l.text);

const LEDGER: XlsCell[][] = [
  ['某县巡察反馈问题整改台账'],
  ['序号', '存在问题', '整改措施', '责任单位', '完成时限', '整改情况'],
  [1, '选人用人不规范，违规提拔干部3名。', '严格执行干部选拔任用条例，对违规提拔的干部予以纠正。', '县委组织部', { format: 'custom-date', value: 45077 }, '已完成'],
  [2, '违规发放津贴补贴18.5万元。', '全额清退违规发放资金。', '县财政局', { format: 'date', value: 45107 }, null],
];
const LEDGER_LINES = [
  { kind: 'body', text: '某县巡察反馈问题整改台账' },
  { kind: 'row', text: '序号\t存在问题\t整改措施\t责任单位\t完成时限\t整改情况', cells: ['序号', '存在问题', '整改措施', '责任单位', '完成时限', '整改情况'] },
  { kind: 'row', text: '1\t选人用人不规范，违规提拔干部3名。\t严格执行干部选拔任用条例，对违规提拔的干部予以纠正。\t县委组织部\t2023年5月31日\t已完成', cells: ['1', '选人用人不规范，违规提拔干部3名。', '严格执行干部选拔任用条例，对违规提拔的干部予以纠正。', '县委组织部', '2023年5月31日', '已完成'] },
  { kind: 'row', text: '2\t违规发放津贴补贴18.5万元。\t全额清退违规发放资金。\t县财政局\t2023年6月30日', cells: ['2', '违规发放津贴补贴18.5万元。', '全额清退违规发放资金。', '县财政局', '2023年6月30日'] },
];

describe('Excel 97–2003 workbooks (.xls)', () => {
  it('reads a ledger as the .xlsx reader does: a title as a body line, rows as cells, dates by their formats', () => {
    expect(lines(makeXls([{ name: 'Sheet1', rows: LEDGER }]))).toEqual(LEDGER_LINES);
  });

  it('reads strings from cells (LABEL), numbers as RK, MULRK and NUMBER, formulas by their cached results, booleans, and leaves error values out', () => {
    const rows: XlsCell[][] = [
      ['完成率', { format: 'percent', value: 0.8567 }, { float: 0.1 + 0.2 }, 1.25, -7, 123456789012],
      [10, 20, 30, '合计', { formula: 60 }],
      [{ formula: '已整改' }, { formula: true }, { formula: null }, { error: 0x2a }, false],
      [{ format: 'time', value: 0.75 }, { format: 'elapsed', value: 1.5 }],
    ];
    const expected = ['完成率\t85.67%\t0.3\t1.25\t-7\t123456789012', '10\t20\t30\t合计\t60', '已整改\tTRUE\tFALSE', '18:00\t36:00:00'];
    expect(texts(makeXls([{ name: 'S', rows }]))).toEqual(expected);
    expect(texts(makeXls([{ name: 'S', rows }], { labels: true, mulrk: true }))).toEqual(expected);
  });

  it('reads RK numbers: integers, doubles by their high bits, and either × 100', () => {
    expect(rkNumber((5 << 2) | 2)).toBe(5);
    expect(rkNumber(((-3 << 2) | 2) >>> 0)).toBe(-3);
    expect(rkNumber((1234 << 2) | 3)).toBe(12.34);
    // 1.5 as a double: 0x3FF8000000000000, its high word 0x3FF80000.
    expect(rkNumber(0x3ff80000)).toBe(1.5);
    expect(rkNumber(0x3ff80001)).toBe(0.015);
  });

  it('reads shared strings that run on into CONTINUE records, switching between one and two bytes a character, with rich-text runs and phonetic data', () => {
    const long = `${'巡视反馈'.repeat(30)}ABC${'整改'.repeat(20)}`;
    const rows: XlsCell[][] = [[long, 'plain ascii text that is long enough to cross a record', '短']];
    for (const rich of [false, true]) {
      for (const maxRecord of [8224, 64, 41, 17]) {
        expect(texts(makeXls([{ name: 'S', rows }], { maxRecord, rich }))).toEqual([rows[0]!.join('\t')]);
      }
    }
  });

  it('round-trips any strings through the shared string table whatever the record size (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('巡', '察', '反', '馈', 'a', 'Z', '1', ' ', 'é', '—', '问', '题'), minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 12, max: 300 }), fc.boolean(), (rows, maxRecord, rich) => {
        const got = extractXls(makeXls([{ name: 'S', rows }], { maxRecord, rich }));
        const want = rows.filter((r) => r.some((c) => c.trim() !== ''));
        const cells = got.lines.map((l) => (l.cells ?? [{ start: l.start, end: l.end }]).map((c) => got.text.slice(c.start, c.end)));
        // Rows of one non-empty cell become body lines; compare the non-empty cells of each row.
        expect(cells.map((c) => c.join('|'))).toEqual(
          want.flatMap((r) => {
            const kept = r.filter((c) => c.trim() !== '');
            return kept.length === 1 ? kept[0]!.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '').map((l) => l.trim()) : [kept.map((c) => c.trim()).join('|')];
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('reads the 1904 date system, several sheets under their names, leaves hidden sheets and chart sheets out, and reads past a chart inside a sheet', () => {
    expect(texts(makeXls([{ name: 'S', rows: [['日期', { format: 'custom-date', value: 43615 }]] }], { date1904: true }))).toEqual(['日期\t2023年5月31日']);
    const d = extractXls(
      makeXls(
        [
          { name: '问题清单', rows: [['问题', '措施']] },
          { name: '下拉列表', rows: [['是', '否']], hidden: true },
          { name: '图表', rows: [], chart: true },
          { name: '进度', rows: [['已完成', 12]] },
        ],
        { embeddedChart: true },
      ),
    );
    expect(d.lines.map((l) => [l.kind, d.text.slice(l.start, l.end)])).toEqual([
      ['heading', '问题清单'],
      ['row', '问题\t措施'],
      ['heading', '进度'],
      ['row', '已完成\t12'],
    ]);
    expect(d.diagnostics.map((x) => x.code)).toEqual(['XUNSHI_XLSX_HIDDEN_SHEETS']);
  });

  it('reads Excel 95 (BIFF5) workbooks, whose strings are bytes in the workbook\'s code page', () => {
    const bytes = makeXls([{ name: '台账', rows: LEDGER }], { biff5: true, codePage: 936 });
    expect(lines(bytes)).toEqual(LEDGER_LINES);
  });

  it('reads Excel 95 workbooks in the Chinese code pages Excel for the Mac and other tools write (10008, 20936, 54936)', () => {
    for (const codePage of [10008, 20936, 54936]) expect(lines(makeXls([{ name: '台账', rows: LEDGER }], { biff5: true, codePage }))).toEqual(LEDGER_LINES);
  });

  it('reads Excel 95 byte strings in windows-1252 as Windows writes them (0x93 is “, not a C1 control)', () => {
    // The fixture writes a string's characters below U+0100 as single bytes: \x93 and \x94 become bytes 0x93 and 0x94.
    expect(texts(makeXls([{ name: 'S', rows: [['\x93Quoted\x94', '\x80 5']] }], { biff5: true, codePage: 1252 }))).toEqual(['“Quoted”\t€ 5']);
  });

  it('sniffs a workbook by its streams whatever its name; a Word document holding an embedded workbook stays a Word document', async () => {
    const xls = makeXls([{ name: 'S', rows: [['问题', '措施']] }]);
    expect(sniffFormat(xls, 'a.xls')).toBe('xls');
    expect(sniffFormat(xls, 'a.et')).toBe('xls');
    expect(sniffFormat(xls, 'a.doc')).toBe('xls');
    expect(sniffFormat(xls)).toBe('xls');
    const doc = readDocument(xls, { path: 'a.doc' });
    expect(doc.format).toBe('xls');
    expect(doc.text).toBe('问题\t措施');
    expect((await readDocumentAsync(xls, { path: 'ledger.xls' })).format).toBe('xls');
    const word = makeWordBinary(['一、存在问题'], { streams: { Workbook: new Uint8Array(16) } });
    expect(sniffFormat(word, 'a.doc')).toBe('doc');
  });

  it('says what is wrong with a damaged, encrypted, empty or foreign workbook, and reads what it can of one whose records end early', () => {
    const encrypted = failure(() => extractXls(makeXls([{ name: 'S', rows: [['a', 'b']] }], { encrypted: true }), { path: 'e.xls' }));
    expect(encrypted).toMatchObject({ code: ERROR_CODES.INPUT_ENCRYPTED, file: 'e.xls' });
    const cut = failure(() => extractXls(makeXls([{ name: 'S', rows: LEDGER }], { mangle: (s) => s.subarray(0, s.length - 30) }), { path: 'c.xls' }));
    expect(cut).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'c.xls' });
    expect(cut.message).toMatch(/cut short/);
    const notBof = failure(() => extractXls(makeXls([{ name: 'S', rows: [] }], { mangle: (s) => Buffer.concat([Buffer.from([0x01, 0x02, 0, 0]), s]) })));
    expect(notBof).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT });
    const noBook = failure(() => extractXls(makeXls([], { noWorkbook: true, streams: { Other: new Uint8Array(8) } }), { path: 'n.xls' }));
    expect(noBook).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED });
    expect(failure(() => extractXls(new Uint8Array(600)))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT });
    // A workbook with no text is an empty document.
    expect(failure(() => readDocument(makeXls([{ name: 'S', rows: [[null, null]] }]), { path: 'e.xls' }))).toMatchObject({ code: ERROR_CODES.INPUT_EMPTY });
    // A cell record cut shorter than its fields: that cell is lost, the others are read.
    const short = makeXls([{ name: 'S', rows: [['问题', '措施'], [5, 6]] }], {
      mangle: (s) => {
        // Shorten the first RK record (type 0x027E) by its last two bytes, moving what follows up.
        const at = s.indexOf(Buffer.from([0x7e, 0x02, 10, 0]));
        s.writeUInt16LE(8, at + 2);
        return Buffer.concat([s.subarray(0, at + 12), s.subarray(at + 14)]);
      },
    });
    expect(texts(short)).toEqual(['问题\t措施', '6']);
  });

  it('never fails but with a XunshiError on a damaged workbook stream (property: random bytes overwritten)', () => {
    const rows: XlsCell[][] = [...LEDGER, [{ formula: '已整改' }, { format: 'percent', value: 0.5 }, true, 3.25, 7]];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }), fc.boolean(), (edits, rich) => {
        const bytes = makeXls([{ name: '台账', rows }, { name: '二', rows: [['a', 1]] }], {
          rich,
          maxRecord: 50,
          mulrk: true,
          mangle: (st) => {
            for (const [at, value] of edits) st[at % st.length] = value;
            return st;
          },
        });
        try {
          extractXls(bytes);
        } catch (e) {
          expect((e as { code?: string }).code, String(e)).toMatch(/^XUNSHI_INPUT_/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses, as too large, a small workbook whose cells repeat a long shared string past any report\'s length', async () => {
    const long = '巡'.repeat(30_000);
    const rows = Array.from({ length: 100 }, () => [long, long, long, long]);
    const bytes = makeXls([{ name: 'a', rows }]);
    expect(bytes.length).toBeLessThan(100_000);
    expect(failure(() => extractXls(bytes, { path: 'a.xls' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'a.xls' });
    const xlsx = await makeXlsx([{ name: 'a', rows }]);
    expect(failure(() => extractXlsx(xlsx, { path: 'a.xlsx' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'a.xlsx' });
    // Under the bound the same cells are read.
    expect(extractXls(makeXls([{ name: 'a', rows: rows.slice(0, 50) }])).text.length).toBeGreaterThan(50 * 4 * 30_000);
  });

  it('reads a workbook Excel encrypted with its built-in password (structure protected: Excel opens it without asking), RC4 and CryptoAPI RC4; another password stays INPUT_ENCRYPTED', () => {
    const long = '巡视反馈指出的问题整改情况'.repeat(400);
    const sheets = [
      { name: '台账', rows: LEDGER },
      { name: '说明', rows: [[long], ['序号', 1, 2.5, { format: 'percent' as const, value: 0.85 }]] },
    ];
    const plain = lines(makeXls(sheets, { maxRecord: 1000 }));
    for (const encryptWith of [
      { password: 'VelvetSweatshop', method: 'rc4' as const },
      { password: 'VelvetSweatshop', method: 'cryptoapi' as const },
      { password: 'VelvetSweatshop', method: 'cryptoapi' as const, keyBits: 40 },
    ]) {
      expect(lines(makeXls(sheets, { maxRecord: 1000, encryptWith }))).toEqual(plain);
      const own = failure(() => extractXls(makeXls(sheets, { encryptWith: { ...encryptWith, password: '123456' } }), { path: 'p.xls' }));
      expect(own).toMatchObject({ code: ERROR_CODES.INPUT_ENCRYPTED, file: 'p.xls' });
    }
  });

  it('never fails but with a XunshiError on a damaged workbook encrypted with the built-in password (property)', () => {
    const bytes = makeXls([{ name: 'S', rows: LEDGER }], { encryptWith: { password: 'VelvetSweatshop', method: 'cryptoapi' } });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const mangled = makeXls([{ name: 'S', rows: LEDGER }], {
          encryptWith: { password: 'VelvetSweatshop', method: 'cryptoapi' },
          mangle: (stream) => {
            const b = Buffer.from(stream);
            for (const [at, value] of edits) b[at % b.length] = value;
            return b;
          },
        });
        try {
          extractXls(mangled);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^XUNSHI_INPUT_/);
        }
      }),
      { numRuns: 150 },
    );
    expect(bytes.length).toBeGreaterThan(0);
  });

  it('reads each byte of the stream a bounded number of times when sheets overlap or have no end (crafted)', () => {
    // 2,000 sheets whose offsets all point at the first sheet, which has no end-of-file record: without the bound
    // every sheet would read the whole stream again.
    const rows: XlsCell[][] = Array.from({ length: 400 }, (_, i) => [`问题${i}`, i]);
    const sheets = Array.from({ length: 2000 }, (_, i) => ({ name: `S${i}`, rows: i === 0 ? rows : [] }));
    const bytes = makeXls(sheets, {
      mangle: (s) => {
        // Point every BOUNDSHEET (0x0085) at the first sheet's BOF, and drop the EOF records after it.
        let first = -1;
        for (let at = 0; at + 4 <= s.length; ) {
          const type = s.readUInt16LE(at);
          const len = s.readUInt16LE(at + 2);
          if (type === 0x0085) {
            if (first < 0) first = s.readUInt32LE(at + 4);
            s.writeUInt32LE(first, at + 4);
          }
          if (type === 0x000a && first >= 0 && at > first) s.writeUInt16LE(0x0201, at); // EOF → BLANK (ignored)
          at += 4 + len;
        }
        return s;
      },
    });
    expect(failure(() => extractXls(bytes))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/overlap/) });
  });
});

describe('.xls encryption checked by another program (msoffcrypto-tool, Python)', () => {
  // msoffcrypto-tool (Debian python3-msoffcrypto-tool) decrypts the fixture's encrypted workbooks: the fixture's
  // encryption is Excel's, checked by a program that did not write it.
  const python = '/usr/bin/python3';
  const ready = existsSync(python) && spawnSync(python, ['-c', 'import msoffcrypto'], { stdio: 'ignore' }).status === 0;
  if (!ready) console.warn('skipped: the encryption cross-check needs /usr/bin/python3 with msoffcrypto (apt-get install python3-msoffcrypto-tool)');
  it.skipIf(!ready)('msoffcrypto-tool decrypts the fixture\'s RC4 and CryptoAPI RC4 workbooks with VelvetSweatshop into what the reader reads from them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-msoffcrypto-'));
    try {
      const sheets = [{ name: '台账', rows: LEDGER }, { name: '说明', rows: [['巡视反馈意见'.repeat(500)]] }];
      for (const method of ['rc4', 'cryptoapi'] as const) {
        const file = join(dir, `${method}.xls`);
        const out = join(dir, `${method}-plain.xls`);
        const encrypted = makeXls(sheets, { maxRecord: 1000, encryptWith: { password: 'VelvetSweatshop', method } });
        writeFileSync(file, encrypted);
        const script = ['import msoffcrypto, sys', 'f = msoffcrypto.OfficeFile(open(sys.argv[1], "rb"))', 'f.load_key(password="VelvetSweatshop")', 'f.decrypt(open(sys.argv[2], "wb"))'].join('\n');
        execFileSync(python, ['-c', script, file, out]);
        expect(lines(readFileSync(out))).toEqual(lines(encrypted));
        expect(lines(encrypted)).toEqual(lines(makeXls(sheets, { maxRecord: 1000 })));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.xls written by another program (xlwt, Python)', () => {
  // xlwt, an independent BIFF8 writer (Debian python3-xlwt): the reader is checked against files it did not write itself.
  const python = '/usr/bin/python3';
  const ready = existsSync(python) && spawnSync(python, ['-c', 'import xlwt'], { stdio: 'ignore' }).status === 0;
  if (!ready) console.warn('skipped: the xlwt cross-check needs /usr/bin/python3 with xlwt (apt-get install python3-xlwt)');
  it.skipIf(!ready)('reads a workbook xlwt wrote: a shared string of 12,000 characters across CONTINUE records, formats, 2,000 rows, a hidden sheet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-xlwt-'));
    try {
      const script = [
        'import xlwt, sys',
        "wb = xlwt.Workbook(encoding='utf-8')",
        "ws = wb.add_sheet('整改台账')",
        "rows = [['某县巡察反馈问题整改台账'], ['序号', '存在问题', '整改措施'], [1, '巡视反馈' * 3000, 0.25]]",
        'for r, row in enumerate(rows):',
        '    for c, v in enumerate(row): ws.write(r, c, v)',
        "date = xlwt.XFStyle(); date.num_format_str = 'yyyy\"年\"m\"月\"d\"日\"'",
        "iso = xlwt.XFStyle(); iso.num_format_str = 'YYYY-MM-DD'",
        "pct = xlwt.XFStyle(); pct.num_format_str = '0.00%'",
        'ws.write(3, 0, 45077, date); ws.write(3, 1, 45107, iso); ws.write(3, 2, 0.8567, pct); ws.write(3, 3, True); ws.write(3, 4, False)',
        'for i in range(2000):',
        "    ws.write(4 + i, 0, '第%d条问题' % i); ws.write(4 + i, 1, i * 1.5); ws.write(4 + i, 2, -i)",
        "ws2 = wb.add_sheet('下拉'); ws2.write(0, 0, 'x'); ws2.write(0, 1, 'y'); ws2.visibility = 1",
        'wb.save(sys.argv[1])',
      ].join('\n');
      const file = join(dir, 'w.xls');
      execFileSync(python, ['-c', script, file]);
      const d = extractXls(readFileSync(file));
      const got = d.lines.map((l) => d.text.slice(l.start, l.end));
      expect(got.slice(0, 4)).toEqual(['某县巡察反馈问题整改台账', '序号\t存在问题\t整改措施', `1\t${'巡视反馈'.repeat(3000)}\t0.25`, '2023年5月31日\t2023年6月30日\t85.67%\tTRUE\tFALSE']);
      expect(got.slice(4)).toEqual(Array.from({ length: 2000 }, (_, i) => `第${i}条问题\t${i * 1.5}\t${-i}`));
      expect(d.diagnostics.map((x) => x.code)).toEqual(['XUNSHI_XLSX_HIDDEN_SHEETS']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
