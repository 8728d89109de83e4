// XML parts of packages as producers write them: UTF-16 with a BOM (OOXML and OpenDocument allow it) and GBK named in
// the declaration (some Chinese office systems) were read as UTF-8: "not well-formed", or replacement characters
// analysed as text. And a malformed part names the line and column of its fault.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { openZip, readDocumentAsync } from '../src/index.js';
import { decodeXmlPart, firstXmlFault } from '../src/xml-part.js';
import { extractXlsx } from '../src/xlsx-read.js';
import { encodeGb18030, makeDocx, makeXlsx, makeZip } from './support/fixtures.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?><a>巡视整改</a>';
const utf16 = (s: string, bigEndian = false): Uint8Array => {
  const le = Buffer.from(`\ufeff${s}`, 'utf16le');
  if (bigEndian) for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};

describe('firstXmlFault', () => {
  it('gives the line, column and kind of the first fault, and nothing for well-formed XML', () => {
    expect(firstXmlFault('<a>\n  <b></c>\n</a>')).toBe('2:9: unexpected close tag.');
    expect(firstXmlFault('<a><b/>')).toMatch(/^1:7: unclosed tag: a$/);
    expect(firstXmlFault('<?xml version="1.0"?>\n<a x="1">文字</a>')).toBeUndefined();
  });
});

describe('decodeXmlPart', () => {
  it('reads a part as its BOM or declaration says, UTF-8 otherwise', () => {
    expect(decodeXmlPart(new TextEncoder().encode(XML))).toBe(XML);
    expect(decodeXmlPart(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(XML)]))).toBe(XML);
    const sixteen = XML.replace('UTF-8', 'UTF-16');
    expect(decodeXmlPart(utf16(sixteen))).toBe(sixteen);
    expect(decodeXmlPart(utf16(sixteen, true))).toBe(sixteen);
    for (const name of ['GBK', 'gb2312', 'GB18030']) {
      const gbk = XML.replace('UTF-8', name);
      expect(decodeXmlPart(encodeGb18030(gbk))).toBe(gbk);
    }
  });
});

describe('packages whose parts are not UTF-8', () => {
  it('reads a Word document whose document.xml is UTF-16 or GBK as the UTF-8 one', async () => {
    const bytes = await makeDocx([{ text: '一、存在的主要问题' }, { text: '违规发放津贴补贴18万元。' }]);
    const zip = openZip(bytes);
    const xml = new TextDecoder().decode(zip.read('word/document.xml'));
    const texts = async (part: Uint8Array): Promise<string[]> => {
      const repacked = await makeZip(Object.fromEntries([...zip.entries.keys()].map((n) => [n, n === 'word/document.xml' ? part : zip.read(n)])));
      return (await readDocumentAsync(repacked, { path: 'a.docx' })).units.map((u) => u.text);
    };
    const want = await texts(new TextEncoder().encode(xml));
    expect(want).toEqual(['一、存在的主要问题', '违规发放津贴补贴18万元。']);
    const declared = (name: string): string => (/^<\?xml/.test(xml) ? xml.replace(/encoding="[^"]*"/, `encoding="${name}"`) : `<?xml version="1.0" encoding="${name}"?>${xml}`);
    expect(await texts(utf16(declared('UTF-16')))).toEqual(want);
    expect(await texts(encodeGb18030(declared('GBK')))).toEqual(want);
  });

  it('reads a workbook whose shared strings are UTF-16, and names the line and column of a malformed part', async () => {
    const zip = await JSZip.loadAsync(await makeXlsx([{ name: 'S', rows: [['序号', '存在问题'], [1, '选人用人不规范。']] }]));
    const sst = await zip.file('xl/sharedStrings.xml')!.async('string');
    zip.file('xl/sharedStrings.xml', utf16(sst.replace(/encoding="[^"]*"/, 'encoding="UTF-16"')));
    const doc = extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' });
    expect(doc.text).toContain('选人用人不规范。');
    zip.file('xl/worksheets/sheet1.xml', '<worksheet>\n<sheetData><row></sheetData></worksheet>');
    let err: { code?: string; message?: string } = {};
    try {
      extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(err.message).toMatch(/^the workbook's xl\/worksheets\/sheet1\.xml is not well-formed XML: 2:\d+: /);
  });
});
