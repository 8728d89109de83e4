import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { decodeZipName, listZipFile, openZip, readZipFileEntry } from '../src/zip.js';
import { encodeGb18030 } from './support/fixtures.js';
import { makeZipArchive } from './support/zip-fixtures.js';
import { failure } from './support/failure.js';

const dir = mkdtempSync(join(tmpdir(), 'xunshi-zipfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const onDisk = (bytes: Uint8Array): string => {
  const file = join(dir, `a${n++}.zip`);
  writeFileSync(file, bytes);
  return file;
};

describe('zip entry names', () => {
  it('reads UTF-8 names (flagged or not), GBK names without the flag as GB18030, and an Info-ZIP Unicode Path field when its checksum matches', () => {
    const gbk = encodeGb18030('巡视反馈意见整改情况.docx');
    expect(decodeZipName(Buffer.from('报告/一.txt'), 0x0800)).toBe('报告/一.txt');
    expect(decodeZipName(Buffer.from('报告/一.txt'), 0)).toBe('报告/一.txt');
    expect(decodeZipName(gbk, 0)).toBe('巡视反馈意见整改情况.docx');
    // GBK bytes that are also valid UTF-8 (巡 is D1 B2, which UTF-8 reads as Ѳ) are read as GBK.
    expect(decodeZipName(encodeGb18030('巡a.txt'), 0)).toBe('巡a.txt');
    expect(decodeZipName(Buffer.from('Report 1.txt'), 0)).toBe('Report 1.txt');
    const bytes = makeZipArchive([{ name: gbk, data: 'x', unicodePath: '巡察.txt' }]);
    expect(openZip(bytes).entries.has('巡察.txt')).toBe(true);
    // A Unicode Path field whose checksum is of another name is stale: the name itself counts.
    const stale = Buffer.from(makeZipArchive([{ name: gbk, data: 'x', unicodePath: '巡察.txt' }]));
    // The field's checksum, in the local header and in the central directory.
    for (let at = stale.indexOf(Buffer.from([0x75, 0x70])); at >= 0; at = stale.indexOf(Buffer.from([0x75, 0x70]), at + 1)) stale[at + 5] ^= 0xff;
    expect([...openZip(stale).entries.keys()]).toEqual(['巡视反馈意见整改情况.docx']);
  });

  it('reads UTF-8 names without the flag (macOS Archive Utility) that hold symbols beside Chinese as written, and GBK names with the same symbols as GBK (property)', () => {
    expect(decodeZipName(Buffer.from('附件①整改台账.xlsx'), 0)).toBe('附件①整改台账.xlsx');
    expect(openZip(makeZipArchive([{ name: Buffer.from('第Ⅱ部分/温度℃.txt'), data: 'x' }])).has('第Ⅱ部分/温度℃.txt')).toBe(true);
    const name = fc
      .tuple(
        fc.constantFrom('①', '②', 'Ⅱ', '×', '℃', '★', '°', '№', 'é', '（', '—', '《'),
        fc.string({ unit: fc.constantFrom(...'巡视反馈意见整改情况报告党委落实问题第一二三组附件台账'), minLength: 1, maxLength: 12 }),
        fc.constantFrom('', '.txt', '.docx', '/a.pdf'),
        fc.nat(13),
      )
      .map(([symbol, words, ext, at]) => `${words.slice(0, at)}${symbol}${words.slice(at)}${ext}`);
    fc.assert(
      fc.property(name, (n) => {
        expect(decodeZipName(Buffer.from(n, 'utf8'), 0)).toBe(n);
        expect(decodeZipName(encodeGb18030(n), 0)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('names written by Info-ZIP zip on a UTF-8 system come back as written (when zip is installed)', () => {
    let zip = '';
    try {
      zip = execFileSync('sh', ['-c', 'command -v zip'], { encoding: 'utf8' }).trim();
    } catch {
      // not installed
    }
    if (!zip) {
      console.warn('skipped: Info-ZIP zip is not installed (apt-get install zip)');
      return;
    }
    const src = mkdtempSync(join(dir, 'src-'));
    writeFileSync(join(src, '整改报告.txt'), '一、存在问题');
    execFileSync(zip, ['-q', '-r', join(dir, 'infozip.zip'), '.'], { cwd: src });
    expect(listZipFile(join(dir, 'infozip.zip')).map((e) => e.name)).toEqual(['整改报告.txt']);
  });
});

describe('zip archives on disk', () => {
  it('lists entries from the central directory and reads each, stored or deflated, within a size bound', () => {
    const text = '巡视发现，该单位违规发放津贴补贴共计12.5万元。'.repeat(50);
    const file = onDisk(makeZipArchive([{ name: '一.txt', data: text }, { name: 'sub/二.txt', data: text, deflate: true }, { name: 'sub/', data: '' }]));
    const entries = listZipFile(file, 'a.zip');
    expect(entries.map((e) => e.name)).toEqual(['一.txt', 'sub/二.txt', 'sub/']);
    for (const e of entries.slice(0, 2)) expect(Buffer.from(readZipFileEntry(file, e, 1 << 20, 'a.zip')).toString('utf8')).toBe(text);
    const size = Buffer.byteLength(text);
    expect(readZipFileEntry(file, entries[1]!, size, 'x')).toHaveLength(size);
    for (const e of entries.slice(0, 2)) expect(failure(() => readZipFileEntry(file, e, size - 1, 'a.zip/e'))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'a.zip/e' });
  });

  it('stops a bomb at the bound whatever it declares; refuses encrypted entries, cut-off and foreign files, and what is not a regular file', () => {
    const bomb = onDisk(makeZipArchive([{ name: 'b.txt', data: Buffer.alloc(5 << 20, 0x41), deflate: true, declaredSize: 10 }]));
    expect(failure(() => readZipFileEntry(bomb, listZipFile(bomb)[0]!, 1 << 20, 'b'))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE });
    const locked = onDisk(makeZipArchive([{ name: 'l.txt', data: 'x', encrypted: true }]));
    const [entry] = listZipFile(locked);
    expect(entry!.flags & 1).toBe(1);
    expect(failure(() => readZipFileEntry(locked, entry!, 100, 'l'))).toMatchObject({ code: ERROR_CODES.INPUT_ENCRYPTED, file: 'l' });
    const whole = makeZipArchive([{ name: 'c.txt', data: 'abc'.repeat(100) }]);
    expect(failure(() => listZipFile(onDisk(whole.subarray(0, whole.length - 30)), 'c.zip'))).toMatchObject({ code: ERROR_CODES.INPUT_TRUNCATED, file: 'c.zip' });
    expect(failure(() => listZipFile(onDisk(new TextEncoder().encode('not a zip')), 'n.zip'))).toMatchObject({ code: ERROR_CODES.INPUT_TRUNCATED });
    expect(failure(() => listZipFile(dir, 'folder.zip'))).toMatchObject({ code: ERROR_CODES.INPUT_NOT_REGULAR, file: 'folder.zip' });
  });

  it('bounds one part by its own limit as well as the archive\'s, whether it declares its size or lies about it', () => {
    const part = Buffer.alloc(3 << 20, 0x41);
    for (const declaredSize of [undefined, 100]) {
      const zip = openZip(makeZipArchive([{ name: 'word/document.xml', data: part, deflate: true, ...(declaredSize ? { declaredSize } : {}) }]), { path: 'a.docx', what: 'Word document' });
      const e = failure(() => zip.read('word/document.xml', 1 << 20));
      expect(e).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'a.docx' });
      expect(e.message).toMatch(/^the Word document's word\/document\.xml is more than 1\.0 MiB uncompressed .*split the document$/);
      expect(zip.read('word/document.xml', 4 << 20)).toHaveLength(3 << 20);
    }
  });

  it('reads an archive with data in front of it whose offsets count from the archive (a stub put before it), on disk and in memory', () => {
    const text = '巡视发现，该单位违规发放津贴补贴共计12.5万元。';
    const entries = [{ name: '一.txt', data: text }, { name: 'sub/二.txt', data: text.repeat(20), deflate: true }];
    for (const before of [Buffer.from('MZ\x90\x00 self-extractor stub '.repeat(40)), Buffer.from('PK\x01\x02PK\x03\x04')]) {
      const bytes = makeZipArchive(entries, { before });
      const file = onDisk(bytes);
      const listed = listZipFile(file, 'sfx.zip');
      expect(listed.map((e) => e.name)).toEqual(['一.txt', 'sub/二.txt']);
      expect(listed.map((e) => Buffer.from(readZipFileEntry(file, e, 1 << 20)).toString('utf8'))).toEqual([text, text.repeat(20)]);
      expect(Buffer.from(openZip(bytes).read('sub/二.txt')).toString('utf8')).toBe(text.repeat(20));
    }
    // A self-extractor whose offsets count from the file's start (zip -A) reads as it did.
    const adjusted = makeZipArchive(entries);
    expect(listZipFile(onDisk(adjusted)).map((e) => e.localHeaderOffset)).toEqual([0, 30 + Buffer.byteLength('一.txt') + Buffer.byteLength(text)]);
  });

  it('finds the end record of an archive whose comment holds the record\'s signature', () => {
    const fake = Buffer.alloc(22);
    fake.writeUInt32LE(0x06054b50, 0);
    fake.writeUInt16LE(3, 10);
    fake.writeUInt32LE(5, 12);
    const bytes = makeZipArchive([{ name: 'a.txt', data: 'abc' }], { comment: Buffer.concat([Buffer.from('comment '), fake, Buffer.from(' end')]) });
    expect(listZipFile(onDisk(bytes)).map((e) => e.name)).toEqual(['a.txt']);
    expect(Buffer.from(openZip(bytes).read('a.txt')).toString()).toBe('abc');
  });

  it('reads an archive made by Info-ZIP zip with a stub put in front of it (when zip is installed)', () => {
    const zip = ['/usr/bin/zip', '/usr/local/bin/zip'].find((p) => existsSync(p));
    if (zip === undefined) return;
    const src = mkdtempSync(join(dir, 'sfx-'));
    writeFileSync(join(src, 'r.txt'), '整改报告');
    execFileSync(zip, ['-q', join(dir, 'plain.zip'), 'r.txt'], { cwd: src });
    const file = onDisk(Buffer.concat([Buffer.alloc(4096, 0x4d), readFileSync(join(dir, 'plain.zip'))]));
    const [entry] = listZipFile(file);
    expect(Buffer.from(readZipFileEntry(file, entry!, 100)).toString('utf8')).toBe('整改报告');
  });

  it('refuses deflated data longer than any data within the bound deflates to before reading it', () => {
    // A sparse file: a deflated entry of 64 MiB of (unwritten) data, then the directory.
    const file = join(dir, 'long.zip');
    const size = 64 << 20;
    const name = Buffer.from('a.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12);
    end.writeUInt32LE(30 + name.length + size, 16);
    const fd = openSync(file, 'w');
    writeSync(fd, Buffer.concat([local, name]), 0, 30 + name.length, 0);
    writeSync(fd, Buffer.concat([central, name, end]), 0, 46 + name.length + 22, 30 + name.length + size);
    closeSync(fd);
    const [entry] = listZipFile(file);
    expect(failure(() => readZipFileEntry(file, entry!, 1 << 20, 'long.zip/a.txt'))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'long.zip/a.txt' });
    // Within the bound's slack (incompressible data deflates a little longer) an entry is read.
    let seed = 7;
    const random = Buffer.from(Array.from({ length: 50_000 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24));
    const noisy = onDisk(makeZipArchive([{ name: 'r.bin', data: random, deflate: true }]));
    expect(readZipFileEntry(noisy, listZipFile(noisy)[0]!, random.length)).toHaveLength(random.length);
  });

  it('refuses an archive whose entries overlap (names for the same data: a bomb that passes each entry\'s bound)', () => {
    const bytes = Buffer.from(makeZipArchive([{ name: 'a.txt', data: 'x'.repeat(1000), deflate: true }, { name: 'b.txt', data: 'y' }, { name: 'c.txt', data: 'z' }]));
    const file = onDisk(bytes);
    expect(listZipFile(file)).toHaveLength(3);
    // Every central entry pointed at the first entry's data.
    for (let at = bytes.indexOf(Buffer.from([0x50, 0x4b, 1, 2])); at >= 0; at = bytes.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), at + 4)) bytes.writeUInt32LE(0, at + 42);
    expect(failure(() => listZipFile(onDisk(bytes), 'bomb.zip'))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'bomb.zip' });
  });

  it('says that the last part of a split archive is one, made by Info-ZIP zip -s (when zip is installed) or with its disk numbers set', () => {
    const bytes = Buffer.from(makeZipArchive([{ name: 'a.txt', data: 'abc' }]));
    bytes.writeUInt16LE(2, bytes.length - 22 + 4);
    bytes.writeUInt16LE(2, bytes.length - 22 + 6);
    expect(failure(() => listZipFile(onDisk(bytes), 's.zip'))).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED, file: 's.zip', message: expect.stringMatching(/split archive/) });
    const zip = ['/usr/bin/zip', '/usr/local/bin/zip'].find((p) => existsSync(p));
    if (zip === undefined) return;
    const src = mkdtempSync(join(dir, 'split-'));
    writeFileSync(join(src, 'r.txt'), '整改报告');
    let seed = 1;
    writeFileSync(join(src, 'noise.bin'), Buffer.from(Array.from({ length: 300_000 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24)));
    execFileSync(zip, ['-q', '-s', '64k', join(src, 'split.zip'), 'r.txt', 'noise.bin'], { cwd: src });
    expect(failure(() => listZipFile(join(src, 'split.zip'), 'split.zip'))).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED, message: expect.stringMatching(/split archive/) });
  });

  it('lists and reads an archive on disk as the in-memory reader does (property)', () => {
    const entry = fc.record({
      name: fc.string({ unit: fc.constantFrom('a', '巡', '察', '/', '.', '1'), minLength: 1, maxLength: 12 }),
      data: fc.string({ maxLength: 200 }),
      deflate: fc.boolean(),
      gbk: fc.boolean(),
    });
    fc.assert(
      // With bytes in front of the archive or not (a stub whose length the offsets leave out).
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.name, maxLength: 8 }), fc.option(fc.uint8Array({ maxLength: 300 })), (entries, before) => {
        const bytes = makeZipArchive(entries, before === null ? {} : { before });
        const file = onDisk(bytes);
        const listed = listZipFile(file);
        const memory = openZip(bytes);
        expect(listed.map((e) => e.name)).toEqual(entries.map((e) => e.name));
        for (const e of listed) expect(Buffer.from(readZipFileEntry(file, e, 1 << 20))).toEqual(Buffer.from(memory.read(e.name)));
      }),
      { numRuns: 60 },
    );
  });
});
