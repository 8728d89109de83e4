import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { decodeQuotedPrintable, extractMhtmlPage, looksLikeMhtml, parseHeaderValue } from '../src/mhtml-read.js';
import { readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { encodeGb18030, encodeQuotedPrintable, makeMhtml } from './support/fixtures.js';
import { failure } from './support/failure.js';

const PAGE = '<!DOCTYPE html><html><head><title>巡视反馈</title></head><body><h1>关于巡视反馈意见整改情况的通报</h1><p>一、存在的问题</p><p>选人用人不规范，违规发放津贴补贴共计18万元。</p></body></html>';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0x3d, 0x0a]);
const texts = (bytes: Uint8Array, path = 'a.mhtml'): string[] => readDocument(bytes, { path }).units.map((u) => u.text);

describe('quoted-printable', () => {
  it('undoes escapes and soft line breaks, keeps hard ones and a stray "="', () => {
    const dec = (s: string): string => Buffer.from(decodeQuotedPrintable(Buffer.from(s, 'latin1'))).toString('utf8');
    expect(dec('=E5=B7=A1=E8=A7=86')).toBe('巡视');
    expect(dec('=e5=b7=a1=e8=a7=86')).toBe('巡视');
    expect(dec('<p class=3D"a">ab=\r\ncd</p>\r\nx')).toBe('<p class="a">abcd</p>\r\nx');
    expect(dec('ab=  \ncd')).toBe('abcd');
    expect(dec('a=2')).toBe('a=2');
    expect(dec('a=G1b')).toBe('a=G1b');
    expect(dec('ab=')).toBe('ab');
  });
  it('decodes whatever the encoder of the fixtures writes, byte for byte (LF line breaks become CRLF)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const crlf = Buffer.from(Buffer.from(bytes).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
        const encoded = encodeQuotedPrintable(bytes);
        for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
        expect(Buffer.from(decodeQuotedPrintable(Buffer.from(encoded, 'latin1')))).toEqual(crlf);
      }),
    );
  });
});

describe('MIME headers', () => {
  it('reads a value and its parameters, quoted or not, first of repeats', () => {
    const h = parseHeaderValue('Multipart/Related; type="text/html";\tboundary="----=_NextPart_01\\"X"; start=<a@b>; type=x');
    expect(h.value).toBe('multipart/related');
    expect(Object.fromEntries(h.params)).toEqual({ type: 'text/html', boundary: '----=_NextPart_01"X', start: '<a@b>' });
  });
});

describe('web archives (MHTML)', () => {
  it('reads the page Chromium saved: quoted-printable UTF-8 with no charset on the part, images left out', () => {
    const bytes = makeMhtml({ type: 'text/html', body: PAGE, location: 'https://www.example.gov.cn/a.html' }, { parts: [{ type: 'image/png', body: PNG, encoding: 'base64', location: 'https://www.example.gov.cn/logo.png' }] });
    expect(looksLikeMhtml(bytes)).toBe(true);
    const doc = readDocument(bytes, { path: 'a.mhtml' });
    expect(doc.format).toBe('mhtml');
    expect(doc.encoding).toBe('utf-8');
    expect(doc.units.map((u) => u.text)).toEqual(['关于巡视反馈意见整改情况的通报', '一、存在的问题', '选人用人不规范，违规发放津贴补贴共计18万元。']);
    expect(doc.headings.map((h) => h.text)).toContain('一、存在的问题');
    for (const u of doc.units) expect(doc.text.slice(u.start, u.end)).toBe(u.text);
  });
  it('reads the page Word saved: GB2312 by the part header (a meta saying otherwise is outranked), a GB2312 preamble skipped', () => {
    const gbPage = encodeGb18030(PAGE.replace('<head>', '<head><meta charset="utf-8">'));
    const bytes = makeMhtml({ type: 'text/html; charset="gb2312"', body: gbPage, location: 'file:///C:/a.htm' }, { style: 'word' });
    const doc = readDocument(bytes, { path: 'a.mht' });
    expect(doc.encoding).toBe('gb18030');
    expect(doc.units.map((u) => u.text)).toContain('选人用人不规范，违规发放津贴补贴共计18万元。');
    // Read as the header says, not detected after the meta's UTF-8 failed.
    expect(doc.diagnostics ?? []).toEqual([]);
  });
  it('a part charset xunshi does not read (us-ascii, windows-1252) gives way to the page\'s <meta>', () => {
    const bytes = (charset: string, body: Uint8Array) => makeMhtml({ type: `text/html; charset="${charset}"`, body }, { style: 'word' });
    const gbPage = encodeGb18030(PAGE.replace('<head>', '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'));
    for (const charset of ['us-ascii', 'windows-1252']) {
      const doc = readDocument(bytes(charset, gbPage), { path: 'a.mht' });
      expect(doc.encoding).toBe('gb18030');
      expect(doc.units.map((u) => u.text)).toContain('一、存在的问题');
      // Read as the page declares, not detected after a note that the header's charset is unsupported.
      expect(doc.diagnostics ?? []).toEqual([]);
    }
    // Without a <meta>, such a page is detected, as before.
    expect((readDocument(bytes('us-ascii', encodeGb18030(PAGE)), { path: 'a.mht' }).diagnostics ?? []).map((d) => d.code)).toEqual(['XUNSHI_HTML_CHARSET_UNSUPPORTED']);
  });
  it('a part charset its bytes contradict is detected instead, with a diagnostic', () => {
    const bytes = makeMhtml({ type: 'text/html; charset=utf-8', body: encodeGb18030(PAGE), encoding: 'base64' });
    const doc = readDocument(bytes, { path: 'a.mht' });
    expect(doc.encoding).toBe('gb18030');
    expect(doc.units.map((u) => u.text)).toContain('一、存在的问题');
    expect((doc.diagnostics ?? []).map((d) => d.code)).toContain('XUNSHI_HTML_CHARSET_MISMATCH');
  });
  it('takes the start part when the archive names one, else the first page; frames are noted, not read', () => {
    const frame = { type: 'text/html', body: '<html><body><p>广告位招租。</p></body></html>', id: 'frame-2@mhtml.blink' };
    const main = { type: 'text/html', body: PAGE, id: 'frame-1@mhtml.blink' };
    expect(texts(makeMhtml(frame, { parts: [main], start: 'frame-1@mhtml.blink' }))).toContain('一、存在的问题');
    const doc = readDocument(makeMhtml(main, { parts: [frame] }), { path: 'a.mhtml' });
    expect(doc.units.map((u) => u.text)).not.toContain('广告位招租。');
    expect((doc.diagnostics ?? []).map((d) => d.code)).toContain('XUNSHI_MHTML_FRAMES_SKIPPED');
  });
  it('finds the page inside a nested multipart and reads LF-only archives and 8bit parts', () => {
    const inner = `Content-Type: multipart/alternative; boundary="inner"\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\n纯文本\r\n--inner\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${PAGE}\r\n--inner--\r\n`;
    const outer = `MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="outer"\r\n\r\n--outer\r\n${inner}--outer--\r\n`;
    expect(texts(new TextEncoder().encode(outer))).toContain('一、存在的问题');
    expect(texts(new TextEncoder().encode(outer.replace(/\r\n/g, '\n')))).toContain('一、存在的问题');
    expect(texts(makeMhtml({ type: 'text/html', body: PAGE }, { lineBreak: '\n' }))).toContain('一、存在的问题');
    // A single-part archive: the page is the message body.
    expect(texts(new TextEncoder().encode(`MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${PAGE}`))).toContain('一、存在的问题');
  });
  it('a byte-order mark before the headers (an archive saved again by an editor) is read past', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), makeMhtml({ type: 'text/html', body: PAGE })]);
    expect(sniffFormat(bytes)).toBe('mhtml');
    expect(texts(bytes)).toContain('一、存在的问题');
  });
  it('a boundary string inside a line is no delimiter', () => {
    const body = PAGE.replace('</body>', '<p>编号----MultipartBoundary--xunshiTestBoundary----之后</p></body>');
    expect(texts(makeMhtml({ type: 'text/html', body, encoding: '8bit' }))).toContain('编号----MultipartBoundary--xunshiTestBoundary----之后');
  });
  it('is sniffed by its header: extension-less, .doc (Word web archive renamed), .html; a .txt stays text', () => {
    const bytes = makeMhtml({ type: 'text/html', body: PAGE });
    expect(sniffFormat(bytes)).toBe('mhtml');
    expect(sniffFormat(bytes, 'x.doc')).toBe('mhtml');
    expect(sniffFormat(bytes, 'x.wps')).toBe('mhtml');
    expect(sniffFormat(bytes, 'x.html')).toBe('mhtml');
    expect(sniffFormat(bytes, 'x.mht')).toBe('mhtml');
    expect(sniffFormat(bytes, 'x.txt')).toBe('text');
    // A mail message that is no web archive is not taken for one.
    expect(looksLikeMhtml(new TextEncoder().encode('From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n'))).toBe(false);
    expect(looksLikeMhtml(new TextEncoder().encode('Content-Type: multipart/related 的说明\n正文'))).toBe(false);
    expect(looksLikeMhtml(new TextEncoder().encode('巡视反馈\r\n'))).toBe(false);
  });
  it('the asynchronous reader and a forced format read it too', async () => {
    const bytes = makeMhtml({ type: 'text/html', body: PAGE });
    expect((await readDocumentAsync(bytes, { path: 'a.mhtml' })).units.length).toBe(3);
    expect(readDocument(bytes, { format: 'mhtml' }).format).toBe('mhtml');
  });
  it('refuses what is no web archive, or holds no page, with the file and a specific code', () => {
    const page = (s: string) => new TextEncoder().encode(s);
    expect(failure(() => readDocument(page('巡视反馈。'), { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'a.mht', message: expect.stringMatching(/not a web archive/) });
    expect(failure(() => readDocument(page('MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nx'), { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/no boundary/) });
    expect(failure(() => readDocument(page('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=zz\r\n\r\nno parts'), { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/"zz"/) });
    const imagesOnly = makeMhtml({ type: 'image/png', body: PNG, encoding: 'base64' });
    expect(failure(() => readDocument(imagesOnly, { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/holds no HTML page/) });
    const uu = page('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin\r\n--b--\r\n');
    expect(failure(() => readDocument(uu, { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED, message: expect.stringMatching(/x-uuencode/) });
    const empty = makeMhtml({ type: 'text/html', body: '<html><body><script>x()</script></body></html>' });
    expect(failure(() => readDocument(empty, { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_EMPTY, message: expect.stringMatching(/page/) });
  });
  it('stays linear on archives of many parts and long header blocks', () => {
    const parts = Array.from({ length: 20_000 }, (_, i) => ({ type: 'image/png', body: PNG, encoding: 'base64' as const, location: `https://e.gov.cn/${i}.png` }));
    const bytes = makeMhtml({ type: 'text/html', body: PAGE }, { parts });
    expect(bytes.length).toBeGreaterThan(2_000_000);
    expect(extractMhtmlPage(bytes).location).toBeUndefined();
    // A header block that never ends is no archive (it is not scanned past 64 KB).
    const endless = new TextEncoder().encode(`Content-Type: multipart/related; boundary=b\r\n${'X-A: b\r\n'.repeat(20_000)}`);
    expect(failure(() => extractMhtmlPage(endless, { path: 'a.mht' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT });
  });
});
