import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { archiveMemberPath, expandInputs } from '../src/inputs.js';
import { makeZipArchive } from '../../document/test/support/zip-fixtures.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'xunshi-archives-'));
  mkdirSync(join(root, 'in'));
  writeFileSync(join(root, 'in/a.txt'), '一、存在问题');
  writeFileSync(
    join(root, 'in/reports.zip'),
    makeZipArchive([
      { name: '第二批/乙县反馈.txt', data: '选人用人不规范。', gbk: true },
      { name: '甲县反馈.txt', data: '整改责任落实不到位。', gbk: true },
      { name: '第二批/', data: '' },
      { name: '台账.xls', data: 'x' },
      { name: 'notes.json', data: '{}' },
      { name: '__MACOSX/._甲县反馈.txt', data: 'x' },
      { name: '.DS_Store', data: 'x' },
      { name: '../../escape.txt', data: 'x' },
      { name: 'inner.zip', data: 'x' },
    ]),
  );
  writeFileSync(join(root, 'in/empty.zip'), makeZipArchive([{ name: 'readme.json', data: '{}' }]));
  writeFileSync(join(root, 'in/broken.zip'), 'not a zip at all');
  writeFileSync(join(root, 'in/ofd.zip'), makeZipArchive([{ name: 'OFD.xml', data: '<ofd:OFD/>' }, { name: 'Doc_0/Document.xml', data: '<x/>' }]));
  writeFileSync(join(root, 'in/dup.zip'), makeZipArchive([{ name: 'x.txt', data: '一' }, { name: './x.txt', data: '二' }]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('zip archives of reports as inputs', () => {
  it('are walked like folders: entries in name order (GBK names read), other kinds skipped, hidden ones left out, an escaping name refused', async () => {
    const r = await expandInputs(['in'], { cwd: root });
    expect(r.inputs.map((i) => [i.path, i.error?.code])).toEqual([
      ['in/a.txt', undefined],
      ['in/broken.zip', ERROR_CODES.INPUT_TRUNCATED],
      ['in/dup.zip/x.txt', undefined],
      // A second entry of the same name (./x.txt) is another file: an error entry, not a duplicate dropped.
      ['in/dup.zip/x.txt', ERROR_CODES.INPUT_UNREADABLE],
      ['in/empty.zip', ERROR_CODES.INPUT_EMPTY],
      // An OFD (or workbook, or Word document) saved as .zip is one document, not an archive of reports.
      ['in/ofd.zip', undefined],
      ['in/reports.zip/../../escape.txt', ERROR_CODES.INPUT_UNREADABLE],
      ['in/reports.zip/台账.xls', undefined],
      ['in/reports.zip/甲县反馈.txt', undefined],
      ['in/reports.zip/第二批/乙县反馈.txt', undefined],
    ]);
    // Counted apart from a folder's files: an entry cannot be named to get an error entry.
    expect(r.skipped).toEqual([]);
    expect(r.skippedInArchives).toEqual(['in/empty.zip/readme.json', 'in/reports.zip/inner.zip', 'in/reports.zip/notes.json']);
    expect(r.duplicates).toEqual([]);
    const member = r.inputs.find((i) => i.path === 'in/reports.zip/甲县反馈.txt')!;
    expect(member.absolute).toBe(join(root, 'in/reports.zip/甲县反馈.txt'));
    expect(member.archive).toMatchObject({ file: join(root, 'in/reports.zip'), entry: { name: '甲县反馈.txt' } });
  });

  it('an archive named explicitly, or twice, is expanded once', async () => {
    const r = await expandInputs(['in/reports.zip', 'in/reports.zip', 'in'], { cwd: root });
    expect(r.inputs.filter((i) => i.path.startsWith('in/reports.zip/')).length).toBe(4);
    expect(r.duplicates).toContain('in/reports.zip');
  });

  it('member paths never climb out', () => {
    expect(archiveMemberPath('a\\b/./c.txt')).toBe('a/b/c.txt');
    expect(archiveMemberPath('/abs/x.txt')).toBe('abs/x.txt');
    expect(archiveMemberPath('a/../../x.txt')).toBeUndefined();
  });
});
