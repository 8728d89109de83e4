import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { decodeBytes, decodeHtml, lineColumn, readDocument } from '../src/index.js';
import { readFileSync, readdirSync } from 'node:fs';
import { encodeBig5, encodeGbk } from './support/cjk-encode.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
// "巡视组反馈:党的领导弱化,整改不到位。\n一、主要问题\n" encoded as GBK (a GB18030 subset).
const GBK_SAMPLE = hex(
  'd1b2cad3d7e9b7b4c0a13ab5b3b5c4c1ecb5bcc8f5bbaf2cd5fbb8c4b2bbb5bdcebba1a30ad2bba1a2d6f7d2aacecacce20a',
);
const GBK_TEXT = '巡视组反馈:党的领导弱化,整改不到位。\n一、主要问题\n';

function catchError(fn: () => unknown): XunshiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    return e as XunshiError;
  }
  throw new Error('expected an error');
}

describe('decodeBytes', () => {
  it('decodes UTF-8 without BOM', () => {
    expect(decodeBytes(utf8('巡视反馈。'))).toEqual({ text: '巡视反馈。', encoding: 'utf-8', bom: false });
  });

  it('strips a UTF-8 BOM and reports it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('整改')]);
    expect(decodeBytes(bytes)).toEqual({ text: '整改', encoding: 'utf-8', bom: true });
  });

  it('detects GBK-encoded Chinese without an option', () => {
    expect(decodeBytes(GBK_SAMPLE)).toEqual({ text: GBK_TEXT, encoding: 'gb18030', bom: false });
  });

  it('decodes 4-byte GB18030 sequences (𠀀 䶮 𪚥) that the gbk label breaks', () => {
    const bytes = hex('95328236 fe9f 9835ee37 a2e3');
    const out = decodeBytes(bytes);
    expect(out.encoding).toBe('gb18030');
    expect(out.text).toBe('𠀀䶮𪚥€');
  });

  it('detects a short GBK text', () => {
    expect(decodeBytes(hex('d1b2cad3'))).toMatchObject({ text: '巡视', encoding: 'gb18030' });
  });

  it('honours an encoding override', () => {
    expect(decodeBytes(utf8('ab'), { encoding: 'gb18030' })).toEqual({ text: 'ab', encoding: 'gb18030', bom: false });
    expect(decodeBytes(GBK_SAMPLE, { encoding: 'gb18030' }).text).toBe(GBK_TEXT);
    const e = catchError(() => decodeBytes(GBK_SAMPLE, { encoding: 'utf-8', path: 'a.txt' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
    expect(e.file).toBe('a.txt');
    // d1 b2 is a valid 2-byte UTF-8 sequence; ca d3 is not.
    expect(e.message).toContain('byte offset 2');
    expect(e.line).toBe(1);
    expect(e.column).toBe(2);
  });

  it('rejects empty input and input with only white space or a BOM', () => {
    for (const bytes of [new Uint8Array(0), hex('efbbbf'), utf8(' \n\t\u3000\r\n')]) {
      const e = catchError(() => decodeBytes(bytes, { path: 'empty.txt' }));
      expect(e.code).toBe(ERROR_CODES.INPUT_EMPTY);
      expect(e.file).toBe('empty.txt');
    }
  });

  it('rejects NUL bytes as binary and says where', () => {
    const e = catchError(() => decodeBytes(new Uint8Array([0x61, 0x62, 0x00, 0x63])));
    expect(e.code).toBe(ERROR_CODES.INPUT_BINARY);
    expect(e.message).toContain('NUL byte at byte offset 2');
    // Anywhere in the file, not only in the first 8 KiB that the control-character share is measured on.
    const long = utf8('巡视发现部分单位落实整改不到位。\n'.repeat(1000));
    const late = catchError(() => decodeBytes(Uint8Array.from([...long, 0x00, ...utf8('违规发放津贴补贴。')]), { path: 'late.txt' }));
    expect(late.code).toBe(ERROR_CODES.INPUT_BINARY);
    expect(late.message).toContain(`NUL byte at byte offset ${long.length}`);
  });

  it('rejects a high share of control characters as binary', () => {
    const bytes = new Uint8Array(200).map((_, i) => (i % 3 === 0 ? 0x01 : 0x41));
    const e = catchError(() => decodeBytes(bytes));
    expect(e.code).toBe(ERROR_CODES.INPUT_BINARY);
    expect(e.message).toMatch(/control characters/);
  });

  it('accepts ordinary control characters (tab, CR, LF, form feed)', () => {
    expect(decodeBytes(utf8('a\tb\r\nc\fd')).text).toBe('a\tb\r\nc\fd');
  });

  it('reports UTF-16 as unsupported', () => {
    const e = catchError(() => decodeBytes(hex('fffe4e00')));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    expect(e.message).toMatch(/UTF-16 byte-order mark/);
  });

  it('reports UTF-32 as unsupported, by its own name (its little-endian mark begins with UTF-16\'s)', () => {
    for (const bytes of ['fffe00004e000000', '0000feff0000004e']) {
      const e = catchError(() => decodeBytes(hex(bytes), { path: 'u32.txt' }));
      expect(e.code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
      expect(e.message).toBe('the file starts with a UTF-32 byte-order mark; UTF-32 is not supported, save the file as UTF-8');
      expect(e.file).toBe('u32.txt');
    }
  });

  it('reports undecodable input with byte offset and line:column', () => {
    // 0xFF is invalid in both UTF-8 and GB18030.
    const bytes = new Uint8Array([...utf8('第一行\n第二'), 0xff, ...utf8('行')]);
    const e = catchError(() => decodeBytes(bytes, { path: 'bad.txt' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
    expect(e.file).toBe('bad.txt');
    expect(e.message).toContain('byte offset 16');
    expect(e.line).toBe(2);
    expect(e.column).toBe(3);
  });

  it('calls UTF-8 with a damaged character a damaged UTF-8 file, at its first invalid byte, not another encoding', () => {
    const text = '一、巡视发现的主要问题\n（一）贯彻落实“三重一大”制度不到位。部分领导干部存在圈子文化，违规发放津贴补贴12万元。\n';
    const whole = utf8(text);
    const at = utf8(text.slice(0, text.indexOf('违'))).length;
    // A character cut short (one continuation byte lost), a stray continuation byte, a Latin-1 é: each valid in nothing.
    for (const bytes of [[...whole.slice(0, at + 2), ...whole.slice(at + 3)], [...whole.slice(0, at), 0x80, ...whole.slice(at)], [...whole.slice(0, at), 0xe9, ...whole.slice(at)]]) {
      const e = catchError(() => decodeBytes(new Uint8Array(bytes), { path: 'damaged.txt' }));
      expect(e.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
      expect(e.message).toContain(`byte offset ${at}`);
      expect(e.message).toContain('apart from 1 invalid sequence it is valid UTF-8, so it is most likely a damaged UTF-8 file');
      expect(e.message).not.toContain('look most like');
      expect([e.line, e.column]).toEqual([2, text.indexOf('违') - text.indexOf('\n')]);
    }
    // GBK text (here with a broken pair, 0xD2 0x7F) is invalid UTF-8 almost everywhere: not a damaged UTF-8 file.
    const gbk = encodeGbk(text)!;
    const broken = new Uint8Array([...gbk.subarray(0, 20), 0xd2, 0x7f, ...gbk.subarray(20)]);
    expect(catchError(() => decodeBytes(broken)).message).not.toContain('damaged UTF-8');
  });

  it('gives the text the encoding it names gives, or an input error with a place (property)', () => {
    // Byte soup from the pieces encodings are made of: ASCII, UTF-8, GBK and Big5 characters, lead bytes cut off, 0x80,
    // 0xFF, controls, byte-order marks.
    const piece = fc.oneof(
      fc.constantFrom('巡视', '發現', '，', 'a1', '\n', '\r\n', ' ').map(utf8),
      fc.constantFrom(encodeGbk('巡视发现问题')!, encodeBig5('巡視發現問題'), hex('efbbbf'), hex('e4b8'), hex('a4'), hex('81 30'), hex('80'), hex('ff'), hex('07'), hex('1b')),
      fc.uint8Array({ maxLength: 3 }),
    );
    const names = { 'utf-8': 'UTF-8', gb18030: 'GB18030', big5: 'Big5' } as const;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), fc.constantFrom('auto', 'utf-8', 'gb18030', 'big5') as fc.Arbitrary<'auto' | 'utf-8' | 'gb18030' | 'big5'>, (parts, encoding) => {
        const bytes = Uint8Array.from(parts.flatMap((p) => [...p]));
        let decoded;
        try {
          decoded = decodeBytes(bytes, { encoding, path: 'p.txt' });
        } catch (e) {
          expect(e).toBeInstanceOf(XunshiError);
          const err = e as XunshiError;
          expect(err.file).toBe('p.txt');
          expect([ERROR_CODES.INPUT_EMPTY, ERROR_CODES.INPUT_BINARY, ERROR_CODES.INPUT_UNDECODABLE, ERROR_CODES.INPUT_UNSUPPORTED]).toContain(err.code);
          if (err.code === ERROR_CODES.INPUT_UNDECODABLE) expect(err.line! >= 1 && err.column! >= 1).toBe(true);
          return;
        }
        if (encoding !== 'auto') expect(decoded.encoding).toBe(encoding);
        const whole = new TextDecoder(decoded.encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
        expect(decoded.text).toBe(decoded.bom ? whole.slice(1) : whole);
        expect(/[^\s\ufeff]/.test(decoded.text)).toBe(true);
        // Big5 has no byte 0x80 or 0xFF (Node's decoder would give U+0080 and U+F8F8 for them).
        if (decoded.encoding === 'big5') expect(bytes.includes(0x80) || bytes.includes(0xff)).toBe(false);
        expect(names[decoded.encoding]).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it('says that a file with a UTF-8 byte-order mark is read as UTF-8 when its bytes are not (a GBK text after the mark)', () => {
    const e = catchError(() => decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...GBK_SAMPLE]), { path: 'bom.txt' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
    expect(e.message).toBe('the file, which starts with a UTF-8 byte-order mark, is not valid UTF-8: first invalid byte sequence at byte offset 5 (line 1, column 2)');
    expect([e.line, e.column]).toEqual([1, 2]); // D1 B2 is a UTF-8 character (U+0472); CA D3 is not
  });

  it('reports a sequence truncated at the end of the input at its start', () => {
    const bytes = new Uint8Array([...utf8('ab'), 0xe4, 0xb8]);
    const e = catchError(() => decodeBytes(bytes, { encoding: 'utf-8' }));
    expect(e.message).toContain('byte offset 2');
    expect(e.column).toBe(3);
  });

  it('finds the invalid byte deep in a large input', () => {
    const big = utf8('巡视整改。\n'.repeat(20_000));
    const bytes = new Uint8Array(big.length + 1);
    bytes.set(big);
    bytes[big.length] = 0xff;
    const e = catchError(() => decodeBytes(bytes, { encoding: 'utf-8' }));
    expect(e.message).toContain(`byte offset ${big.length}`);
    expect(e.line).toBe(20_001);
    expect(e.column).toBe(1);
  });

  it('rejects an unknown encoding option', () => {
    const e = catchError(() => decodeBytes(utf8('a'), { encoding: 'shift_jis' as 'utf-8' }));
    expect(e.code).toBe(ERROR_CODES.USAGE);
  });
});

describe('lineColumn', () => {
  it('counts lines across LF, CRLF and CR and columns in UTF-16 units', () => {
    const t = 'ab\r\ncd\ref\n𠀀x';
    expect(lineColumn(t, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(t, 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn(t, 4)).toEqual({ line: 2, column: 1 });
    expect(lineColumn(t, 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumn(t, 10)).toEqual({ line: 4, column: 1 });
    expect(lineColumn(t, 12)).toEqual({ line: 4, column: 3 });
    expect(lineColumn(t, t.length)).toEqual({ line: 4, column: 4 });
  });

  it('rejects offsets outside the text', () => {
    expect(() => lineColumn('abc', 4)).toThrow(/outside the text/);
    expect(() => lineColumn('abc', -1)).toThrow(XunshiError);
  });
});

describe('readDocument', () => {
  it('picks the format from the extension', () => {
    const md = readDocument(utf8('# 标题\n\n正文。'), { path: 'r/a.md' });
    expect(md.format).toBe('markdown');
    expect(md.units.map((u) => u.text)).toEqual(['标题', '正文。']);
    const txt = readDocument(utf8('# 标题\n\n正文。'), { path: 'r/a.txt' });
    expect(txt.format).toBe('text');
    expect(txt.units[0]!.text).toBe('# 标题');
    expect(readDocument(utf8('正文。'), { path: 'README' }).format).toBe('text');
    expect(readDocument(utf8('正文。'), { path: 'a.MARKDOWN' }).format).toBe('markdown');
    expect(readDocument(utf8('# a'), { path: 'a.txt', format: 'markdown' }).format).toBe('markdown');
  });

  it('records encoding and BOM and keeps offsets in the decoded text', () => {
    const doc = readDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('甲。乙')]));
    expect(doc).toMatchObject({ encoding: 'utf-8', bom: true, text: '甲。乙' });
    expect(doc.units.map((u) => [u.start, u.end])).toEqual([
      [0, 2],
      [2, 3],
    ]);
    expect(readDocument(GBK_SAMPLE).encoding).toBe('gb18030');
  });

  it('refuses container formats by extension, and a .docx that is no zip as corrupt', () => {
    const e = catchError(() => readDocument(utf8('x'), { path: 'a.pptx' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    expect(e.file).toBe('a.pptx');
    expect(catchError(() => readDocument(utf8('序号\t问题'), { path: 'a.xls' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'a.xls', message: expect.stringMatching(/not an Excel workbook.*--format-in text/) });
    expect(catchError(() => readDocument(utf8('x'), { path: 'a.docx' })).code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(catchError(() => readDocument(utf8('x'), { path: 'a.xlsx' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/not an Excel workbook/) });
  });
});

// Issue 11, defect 5: Big5 (traditional script, Taiwan and Hong Kong pages) was read as GB18030 and came out as mojibake.
describe('decodeBytes: Big5', () => {
  const corpus = (name: string): URL => new URL(`../../../corpus/tuning/${name}`, import.meta.url);
  const TRAD = readFileSync(corpus('feedback-07-trad.txt'), 'utf8');

  it('the test encoder round-trips the traditional sample', () => {
    expect(new TextDecoder('big5').decode(encodeBig5(TRAD))).toBe(TRAD);
  });

  it('detects the traditional-script sample as Big5 and decodes it to the UTF-8 text', () => {
    const decoded = decodeBytes(encodeBig5(TRAD));
    expect(decoded.encoding).toBe('big5');
    expect(decoded.text).toBe(TRAD);
  });

  it('detects Big5 in each paragraph of the sample on its own', () => {
    const paras = TRAD.split('\n').filter((p) => p.length > 40);
    expect(paras.length).toBeGreaterThan(3);
    for (const p of paras) expect(decodeBytes(encodeBig5(p)).encoding, p.slice(0, 20)).toBe('big5');
  });

  it('still reads the GB18030 sample as gb18030', () => {
    const bytes = readFileSync(corpus('rectification-05-gbk.txt'));
    const decoded = decodeBytes(bytes);
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.text).toBe(new TextDecoder('gb18030').decode(bytes));
    expect(decodeBytes(GBK_SAMPLE).encoding).toBe('gb18030');
  });

  it('--encoding big5 forces Big5, and bytes that are not Big5 are undecodable with a position', () => {
    expect(decodeBytes(encodeBig5('巡視組反饋'), { encoding: 'big5' })).toEqual({ text: '巡視組反饋', encoding: 'big5', bom: false });
    const err = catchError(() => decodeBytes(Uint8Array.from([...encodeBig5('巡視組\n'), 0xa4, 0x30, 0x41]), { encoding: 'big5' }));
    expect(err.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
    expect(err.message).toMatch(/not valid Big5.*byte offset 7/);
    expect([err.line, err.column]).toEqual([2, 1]);
  });

  it('takes the bytes 0x80 and 0xFF for what they are in Big5, errors (Node decodes them to U+0080 and U+F8F8)', () => {
    const head = encodeBig5('巡視組\n');
    for (const stray of [[0xff], [0x80], [0xa4, 0x80], [0xa4, 0xff]]) {
      const err = catchError(() => decodeBytes(Uint8Array.from([...head, ...stray, ...encodeBig5('反饋')]), { encoding: 'big5', path: 'x.txt' }));
      expect(err.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
      expect(err.message).toMatch(/not valid Big5.*byte offset 7/);
      expect([err.line, err.column]).toEqual([2, 1]);
    }
    // A GBK report with one stray 0xFF byte is valid in none of the three: an error at that byte, not Big5 mojibake.
    const gbk = encodeGbk('巡视组反馈：党的领导弱化，整改不到位，部分领导干部存在圈子文化。\n违规发放津贴补贴12万元，涉及3名干部。\n')!;
    const at = encodeGbk('巡视组反馈：党的领导弱化，整改不到位，部分领导干部存在圈子文化。\n违规')!.length;
    const damaged = Uint8Array.from([...gbk.subarray(0, at), 0xff, ...gbk.subarray(at)]);
    const e = catchError(() => decodeBytes(damaged, { path: 'gbk.txt' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNDECODABLE);
    expect(e.message).toContain(`valid GB18030 (first invalid byte sequence at byte offset ${at} (line 2, column 3))`);
    // A page declared Big5 with a stray 0xFF gets U+FFFD there, counted, as any other invalid byte.
    const page = Uint8Array.from([...utf8('<html><head><meta charset="big5"></head><body><p>'), ...encodeBig5('巡視組'), 0xff, ...encodeBig5('反饋'), ...utf8('</p></body></html>')]);
    const html = decodeHtml(page);
    expect(html.encoding).toBe('big5');
    expect(html.text).toContain('巡視組\ufffd反饋');
    expect(html.diagnostics.map((d) => d.message)).toEqual(['1 invalid byte sequence(s) in the declared charset "big5" were replaced by U+FFFD']);
  });
});

describe('decodeBytes: GBK or Big5 on every sample report of the project', () => {
  // Each sample (and each paragraph of 30+ characters) encoded as GBK and, when Big5 holds it, as Big5: the detector must
  // name the encoding that was used. Measured at the fix: 28 + 294 GBK simplified, 17 + 17 traditional, 0 wrong.
  it('names the encoding each sample was written in', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const dir of ['tuning', 'held-out']) {
      const folder = new URL(`../../../corpus/${dir}/`, import.meta.url);
      for (const name of readdirSync(folder).sort()) {
        if (!/\.(txt|md)$/.test(name) || /gbk/.test(name)) continue;
        const text = readFileSync(new URL(name, folder), 'utf8');
        for (const unit of [text, ...text.split('\n').filter((p) => p.length >= 30)]) {
          const gbk = encodeGbk(unit);
          if (gbk && decodeBytes(gbk).encoding !== 'gb18030') wrong.push(`${name} as GBK: ${unit.slice(0, 20)}`);
          let big5: Uint8Array | undefined;
          try {
            big5 = encodeBig5(unit);
          } catch {
            big5 = undefined; // simplified characters have no Big5 code
          }
          if (big5 && decodeBytes(big5).encoding !== 'big5') wrong.push(`${name} as Big5: ${unit.slice(0, 20)}`);
          checked += (gbk ? 1 : 0) + (big5 ? 1 : 0);
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });
});
