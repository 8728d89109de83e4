import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import fc from 'fast-check';
import { comparePageNames, expandInputs, getExtension, isPageAssetFolder, isSupportedPath, joinImageFolders, pageName, parseFileList } from '../src/inputs.js';
import { makeZipArchive } from '../../document/test/support/zip-fixtures.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'xunshi-inputs-'));
  const files = ['r/b.txt', 'r/a.md', 'r/Z.txt', 'r/sub/c.markdown', 'r/sub/deeper/d.txt', 'r/sub/notes.json', 'r/.hidden.txt', 'r/.git/e.txt', 'r/report.pptx', 'other/x.txt', 'other/y.TXT', 'other/z.json'];
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'text');
  }
  mkdirSync(join(root, 'r/folder.txt'));
  writeFileSync(join(root, 'r/folder.txt/inside.txt'), 'text');
  symlinkSync(join(root, 'missing-target'), join(root, 'r/dangling.txt'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const paths = (r: { inputs: { path: string }[] }): string[] => r.inputs.map((i) => i.path);

describe('expandInputs', () => {
  it('walks folders recursively in code-unit order, skipping hidden entries and other extensions', async () => {
    const r = await expandInputs(['r'], { cwd: root });
    expect(paths(r)).toEqual(['r/Z.txt', 'r/a.md', 'r/b.txt', 'r/dangling.txt', 'r/folder.txt/inside.txt', 'r/sub/c.markdown', 'r/sub/deeper/d.txt']);
    expect(r.skipped).toEqual(['r/report.pptx', 'r/sub/notes.json']);
    expect(r.inputs.every((i) => i.absolute === join(root, i.path) && !i.error)).toBe(true);
  });

  it('keeps argument order, de-duplicates by absolute path and expands globs sorted', async () => {
    const r = await expandInputs(['other/x.txt', 'r/**/*.txt', './other/x.txt', 'r/b.txt'], { cwd: root });
    expect(paths(r)).toEqual(['other/x.txt', 'r/Z.txt', 'r/b.txt', 'r/dangling.txt', 'r/folder.txt/inside.txt', 'r/sub/deeper/d.txt']);
    // every later naming of an input already listed is reported, in the order met
    expect(r.duplicates).toEqual(['./other/x.txt', 'r/b.txt']);
    expect((await expandInputs(['r/b.txt'], { cwd: root })).duplicates).toEqual([]);
  });

  it('a pattern takes what a walk of its folder takes: links to files, dangling links and FIFOs, not links to folders', async () => {
    mkdirSync(join(root, 'links/real'), { recursive: true });
    writeFileSync(join(root, 'links/real/report.txt'), 'text');
    writeFileSync(join(root, 'links/plain.txt'), 'text');
    symlinkSync(join(root, 'links/real/report.txt'), join(root, 'links/link.txt'));
    symlinkSync(join(root, 'links/nowhere'), join(root, 'links/dangling.txt'));
    symlinkSync(join(root, 'links/real'), join(root, 'links/folder-link.txt'));
    symlinkSync(join(root, 'links'), join(root, 'links/real/loop'));
    if (spawnSync('mkfifo', [join(root, 'links/fifo.txt')]).status !== 0) writeFileSync(join(root, 'links/fifo.txt'), 'text');
    const flat = await expandInputs(['links/*.txt'], { cwd: root });
    expect(paths(flat)).toEqual(['links/dangling.txt', 'links/fifo.txt', 'links/link.txt', 'links/plain.txt']);
    expect(flat.inputs.every((i) => !i.error)).toBe(true);
    // the walk also lists the link to a folder named *.txt (an error entry when read); neither follows it or the loop
    expect(paths(await expandInputs(['links/**/*.txt'], { cwd: root }))).toEqual([...paths(flat), 'links/real/report.txt']);
    const walked = await expandInputs(['links'], { cwd: root });
    expect(paths(walked)).toEqual(['links/dangling.txt', 'links/fifo.txt', 'links/folder-link.txt', 'links/link.txt', 'links/plain.txt', 'links/real/report.txt']);
    // a link to a folder without a report's extension is not a file of another kind: it is counted apart
    expect(walked.skipped).toEqual([]);
    expect(walked.linkedFolders).toEqual(['links/real/loop']);
  });

  it('leaves out a folder of xunshi\'s own reports met in a walk (its pages are no reports), and reads it when named', async () => {
    mkdirSync(join(root, 'own/html/sub'), { recursive: true });
    writeFileSync(join(root, 'own/report.txt'), 'text');
    writeFileSync(join(root, 'own/html/.xunshi-manifest.json'), '{}');
    writeFileSync(join(root, 'own/html/index.html'), '<p>index</p>');
    writeFileSync(join(root, 'own/html/sub/report.html'), '<p>page</p>');
    const walked = await expandInputs(['own'], { cwd: root });
    expect(paths(walked)).toEqual(['own/report.txt']);
    expect(walked.outputFolders).toEqual(['own/html']);
    expect(walked.skipped).toEqual([]);
    const named = await expandInputs(['own/html'], { cwd: root });
    expect(paths(named)).toEqual(['own/html/index.html', 'own/html/sub/report.html']);
    expect(named.outputFolders).toEqual([]);
  });

  it('walks a folder a pattern matches, as if it were named in its place, and takes nothing below it twice', async () => {
    const r = await expandInputs(['r/*'], { cwd: root });
    expect(r.inputs.map((i) => [i.path, i.error?.code])).toEqual([
      ['r/Z.txt', undefined],
      ['r/a.md', undefined],
      ['r/b.txt', undefined],
      ['r/dangling.txt', undefined],
      ['r/folder.txt/inside.txt', undefined],
      ['r/report.pptx', ERROR_CODES.INPUT_UNSUPPORTED],
      ['r/sub/c.markdown', undefined],
      ['r/sub/deeper/d.txt', undefined],
    ]);
    expect(r.skipped).toEqual(['r/sub/notes.json']);
    expect(r.duplicates).toEqual([]);
    // `**` matches the folder and every folder below it: each file still comes once, as in a walk of the folder
    const deep = await expandInputs(['r/**'], { cwd: root });
    expect(deep.duplicates).toEqual([]);
    expect(paths(deep)).toEqual(paths(await expandInputs(['r'], { cwd: root })));
    // the --out folder is not walked when a pattern matches it either
    expect(paths(await expandInputs(['r/*'], { cwd: root, skipFolder: join(root, 'r/sub') }))).toEqual(paths(r).filter((p) => !p.startsWith('r/sub/')));
  });

  it('turns named files of other kinds, missing paths and empty patterns into error entries', async () => {
    const r = await expandInputs(['r/report.pptx', 'nope.txt', 'none/**/*.md', 'other/y.TXT'], { cwd: root });
    expect(r.inputs.map((i) => [i.path, i.error?.code])).toEqual([
      ['r/report.pptx', ERROR_CODES.INPUT_UNSUPPORTED],
      ['nope.txt', ERROR_CODES.INPUT_UNREADABLE],
      ['none/**/*.md', ERROR_CODES.INPUT_UNREADABLE],
      ['other/y.TXT', undefined],
    ]);
    expect(r.inputs[0]!.error!.message).toMatch(/\.pptx files are not supported.*\.txt.*\.md.*\.markdown.*\.docx.*\.pdf/);
    // Word 97–2003 binaries are read (they were named only 'when they are really a docx or a web page')
    expect(r.inputs[0]!.error!.message).toContain('Word 97–2003 .doc, .wps, .dot, .wpt');
    expect(r.inputs[0]!.error!.file).toBe('r/report.pptx');
    // the files left out are one sorted list over all arguments, not in the order the walks met them
    expect((await expandInputs(['r', 'other'], { cwd: root })).skipped).toEqual(['other/z.json', 'r/report.pptx', 'r/sub/notes.json']);
    // a file left out of a walk is no longer "skipped" once it is named
    expect((await expandInputs(['r', 'r/report.pptx'], { cwd: root })).skipped).toEqual(['r/sub/notes.json']);
  });

  it('takes an empty name (a blank variable) for an error entry, never for the working folder to walk', async () => {
    const r = await expandInputs(['', 'other/y.TXT'], { cwd: root });
    expect(r.inputs.map((i) => [i.path, i.error?.code])).toEqual([
      ['', ERROR_CODES.INPUT_UNREADABLE],
      ['other/y.TXT', undefined],
    ]);
    expect(r.inputs[0]!.error!.message).toContain('the name is empty');
    expect(r.skipped).toEqual([]);
  });

  it('takes --files-from paths literally: a folder or a dangling link there is an unreadable input', async () => {
    const r = await expandInputs(['-'], { cwd: root, listed: ['r/folder.txt', 'r/dangling.txt', 'r/b.txt', 'r/*.txt', '-'] });
    expect(r.inputs.map((i) => [i.path, i.absolute === null, i.error?.code])).toEqual([
      ['-', true, undefined],
      ['r/folder.txt', false, ERROR_CODES.INPUT_UNREADABLE],
      ['r/dangling.txt', false, ERROR_CODES.INPUT_UNREADABLE],
      ['r/b.txt', false, undefined],
      ['r/*.txt', false, ERROR_CODES.INPUT_UNREADABLE],
    ]);
    expect(r.inputs[1]!.error!.message).toMatch(/folder/);
    expect(r.inputs[2]!.error!.message).toMatch(/link/);
  });

  it('reports a folder it cannot list as an error entry instead of failing the batch', async () => {
    const r = await expandInputs([join(root, 'r/b.txt/inner')], { cwd: root });
    expect(r.inputs).toHaveLength(1);
    expect(r.inputs[0]!.error?.code).toBe(ERROR_CODES.INPUT_UNREADABLE);
  });
});

describe('helpers', () => {
  it('parses file lists with CRLF, a BOM, blank and # comment lines, trimming white space around names', () => {
    expect(parseFileList('\uFEFFa.txt\r\n\r\n b c.md \nlast.txt')).toEqual(['a.txt', 'b c.md', 'last.txt']);
    expect(parseFileList('# reports of 2024\n  # indented comment\n\t\n  x.txt\t\r\n./#hash.txt\n   \n')).toEqual(['x.txt', './#hash.txt']);
    expect(parseFileList('')).toEqual([]);
  });
  it('knows the supported extensions, case-insensitively', () => {
    expect(['a.txt', 'b.MD', 'c.markdown', 'd.docx', 'e', '.txt', 'dir.txt/f', 'g.HTM', 'h.pdf', 'i.doc', 'j.pptx'].map(isSupportedPath)).toEqual([true, true, true, true, false, false, false, true, true, true, false]);
    // The CLI takes every extension the document reader knows (the library reads any file, sniffing it).
    expect(['k.text', 'l.mdown', 'm.mkd', 'n.shtml', 'o.docm', 'p.wps', 'q.dot', 'r.wpt', 's.xhtml'].every(isSupportedPath)).toBe(true);
    expect(getExtension('x/y.tar.GZ')).toBe('.gz');
  });
});

describe('images in folder walks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-images-'));
    // A saved web page with its pictures folder, a folder of scans, a folder that only looks like a page's pictures.
    for (const f of ['w/通报.html', 'w/通报_files/logo.png', 'w/通报_files/sub/banner.jpg', 'w/old.htm', 'w/old.files/icon.gif', 'w/scans/p1.png', 'w/scans/p2.JPG', 'w/scans_files/p3.png', 'w/notes.txt']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
    }
    writeFileSync(
      join(dir, 'w.zip'),
      makeZipArchive([
        { name: 'a.html', data: '<p>x</p>' },
        { name: 'a_files/logo.png', data: 'x' },
        { name: 'scans/p1.png', data: 'x' },
      ]),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a folder\'s images only with images (--ocr), never a saved web page\'s pictures; named ones always', async () => {
    const without = await expandInputs(['w'], { cwd: dir });
    expect(paths(without)).toEqual(['w/notes.txt', 'w/old.htm', 'w/通报.html']);
    expect(without.skipped).toHaveLength(6);
    const withImages = await expandInputs(['w', 'w.zip'], { cwd: dir, images: true });
    expect(paths(withImages)).toEqual(['w/notes.txt', 'w/old.htm', 'w/scans/p1.png', 'w/scans/p2.JPG', 'w/scans_files/p3.png', 'w/通报.html', 'w.zip/a.html', 'w.zip/scans/p1.png']);
    expect([...withImages.skipped].sort()).toEqual(['w/old.files/icon.gif', 'w/通报_files/logo.png', 'w/通报_files/sub/banner.jpg'].sort());
    expect(withImages.skippedInArchives).toEqual(['w.zip/a_files/logo.png']);
    // Named, an image is an input whatever the folder (its reader says what it needs).
    const named = await expandInputs(['w/通报_files/logo.png'], { cwd: dir });
    expect(named.inputs).toMatchObject([{ path: 'w/通报_files/logo.png' }]);
    expect(named.inputs[0]!.error).toBeUndefined();
  });

  it('knows a page\'s pictures folder by the page beside it', () => {
    expect(isPageAssetFolder('通报_files', new Set(['通报.html']))).toBe(true);
    expect(isPageAssetFolder('Report.files', new Set(['report.htm']))).toBe(true);
    expect(isPageAssetFolder('a_files', new Set(['a.mht']))).toBe(true);
    expect(isPageAssetFolder('scans_files', new Set(['scans.txt']))).toBe(false);
    expect(isPageAssetFolder('files', new Set(['.html']))).toBe(false);
  });
});

describe('--join-images: a folder\'s images as the pages of one report', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-join-'));
    for (const f of ['r/notice/IMG_10.jpg', 'r/notice/IMG_9.jpg', 'r/notice/IMG_11.JPG', 'r/notice/readme.txt', 'r/notice/sub/p2.png', 'r/notice/sub/p1.png', 'r/a.txt', 'r/z.png']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
    }
    writeFileSync(
      join(dir, 'r.zip'),
      makeZipArchive([
        { name: 'pages/scan_010.png', data: 'x' },
        { name: 'pages/scan_009.png', data: 'x' },
        { name: 'a.txt', data: 'x' },
      ]),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('groups the images of each folder (and folder of an archive) in page order, at the place of the first, named by the folder; the rest stays', async () => {
    const walked = await expandInputs(['r', 'r.zip', 'missing.jpg'], { cwd: dir, images: true });
    const joined = joinImageFolders(walked.inputs);
    expect(joined.map((i) => [i.path, i.pages?.map(pageName)])).toEqual([
      ['r/a.txt', undefined],
      ['r/notice/', ['IMG_9.jpg', 'IMG_10.jpg', 'IMG_11.JPG']],
      ['r/notice/readme.txt', undefined],
      ['r/notice/sub/', ['p1.png', 'p2.png']],
      ['r/', ['z.png']],
      ['r.zip/a.txt', undefined],
      ['r.zip/pages/', ['scan_009.png', 'scan_010.png']],
      ['missing.jpg', undefined],
    ]);
    const zipGroup = joined.find((i) => i.path === 'r.zip/pages/');
    expect(zipGroup?.pages?.map((p) => p.path)).toEqual(['r.zip/pages/scan_009.png', 'r.zip/pages/scan_010.png']);
    expect(zipGroup?.pages?.every((p) => p.archive !== undefined)).toBe(true);
    expect(joined.find((i) => i.path === 'r/notice/')?.absolute).toBe(join(dir, 'r/notice'));
    // A missing image keeps its error entry, alone.
    expect(joined.find((i) => i.path === 'missing.jpg')?.error?.code).toBe(ERROR_CODES.INPUT_UNREADABLE);
    // Images named one by one in the working folder are the report ./.
    const named = joinImageFolders((await expandInputs(['IMG_10.jpg', 'IMG_9.jpg'], { cwd: join(dir, 'r/notice') })).inputs);
    expect(named.map((i) => [i.path, i.pages?.map(pageName)])).toEqual([['./', ['IMG_9.jpg', 'IMG_10.jpg']]]);
  });

  it('orders page names by the numbers in them, a total order that is the same everywhere', () => {
    const names = ['IMG_10.jpg', 'IMG_9.jpg', 'IMG_1.jpg', 'IMG_0010.jpg', 'scan 2 - 3.png', 'scan 2 - 12.png', 'scan 10.png', 'a.png', 'IMG_2a.jpg', 'IMG_2.jpg', '第3页.png', '第12页.png'];
    expect([...names].sort(comparePageNames)).toEqual(['IMG_1.jpg', 'IMG_2.jpg', 'IMG_2a.jpg', 'IMG_9.jpg', 'IMG_0010.jpg', 'IMG_10.jpg', 'a.png', 'scan 2 - 3.png', 'scan 2 - 12.png', 'scan 10.png', '第3页.png', '第12页.png']);
    const name = fc.stringMatching(/^[a-z0-9_.]{0,8}$/);
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        // Antisymmetric, zero only for equal names, transitive.
        expect(Math.sign(comparePageNames(a, b)) === -Math.sign(comparePageNames(b, a))).toBe(true);
        expect(comparePageNames(a, b) === 0).toBe(a === b);
        if (comparePageNames(a, b) < 0 && comparePageNames(b, c) < 0) expect(comparePageNames(a, c)).toBeLessThan(0);
      }),
      { numRuns: 3000, seed: 20261207 },
    );
  });
});
