// The CLI and library end to end on scanned PDFs (made at test time by headless Chromium from a sample report):
// refused without --ocr, with the way to read them named; read with --ocr, in one thread and in worker threads, the
// same bytes each time, close to the sample's own .txt in units and labels; the process exits when done.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_SCHEMA, analyzeFiles, createAnalyzer, type Report } from 'xunshi';
import { findChromium, hasCjkFont, printPdf } from '../packages/document/test/support/fixtures.js';
import { jpegOf, picturesDocx, pixelsOf, storedFor } from '../packages/document/test/support/image-fixtures.js';
import { makeScanOfd } from '../packages/document/test/support/ofd-scan-fixtures.js';
import { makeZipArchive } from '../packages/document/test/support/zip-fixtures.js';
import { charAccuracy, ledgerPageHtml, scanPageHtml, scanPdf, screenshot } from '../packages/document/test/support/scan-fixtures.js';
import { findTiffcp, tiffcp, tiffOf, type TiffPicture } from '../packages/document/test/support/tiff-fixtures.js';
import { SOFFICE, saveAs } from './support/libreoffice.js';
import { REPO_DIR } from './support/shared.js';

const chromium = findChromium();
const ready = chromium !== undefined && hasCjkFont();
if (!ready) console.warn(`skipped: the OCR end-to-end tests need headless Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei); found chromium=${chromium ?? 'none'}`);

const TIFFCP = findTiffcp();
if (!TIFFCP) console.warn('skipped: the TIFF end-to-end test needs tiffcp (apt-get install libtiff-tools)');

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const SAMPLE = join(REPO_DIR, 'corpus/tuning/rectification-06.txt');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A run that does not exit (a thread left behind) fails by the timeout: status null.
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 200_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Each passage's function and categories, the things an analyst reads off a report. */
const labelsOf = (r: Report): string[] => r.passages.map((p) => [p.function, p.categories.map((c) => c.subcategory ?? c.id).join(',')].join(' | '));

/**
 * `analyze DIR --ocr` with one thread and with two: both succeed with nothing on standard error and the same bytes; the
 * two reports of the folder (the same scan twice) have the same passages. Returns them.
 */
function ocrTwice(dir: string): Report[] {
  const one = cli(['analyze', dir, '--ocr', '--format', 'jsonl', '--jobs', '1', '--quiet']);
  expect(one.stderr).toBe('');
  expect(one.status).toBe(0);
  const two = cli(['analyze', dir, '--ocr', '--format', 'jsonl', '--jobs', '2', '--quiet']);
  expect(two.status).toBe(0);
  expect(two.stdout).toBe(one.stdout);
  const reports = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
  expect(reports[0]!.passages).toEqual(reports[1]!.passages);
  return reports;
}

describe.skipIf(!ready)('scanned PDFs through the CLI and analyzeFiles', () => {
  let dir: string;
  let text: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-'));
    text = readFileSync(SAMPLE, 'utf8');
    const pdf = scanPdf(chromium!, [screenshot(chromium!, scanPageHtml(text.split('\n').filter((l) => l.trim() !== '')))]);
    writeFileSync(join(dir, 'a.pdf'), pdf);
    copyFileSync(join(dir, 'a.pdf'), join(dir, 'b.pdf'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without --ocr a scan is an error entry that names --ocr', () => {
    const r = cli(['analyze', join(dir, 'a.pdf'), '--jobs', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/a\.pdf: the PDF has 1 page\(s\) but no text layer \(a scanned document\?\): read it by OCR with --ocr .*\[XUNSHI_INPUT_NO_TEXT\]/);
  });

  it('with --ocr: read by OCR (said in the diagnostics), byte-identical with one thread and two, units and labels close to the .txt', { timeout: 300_000 }, () => {
    const [a] = ocrTwice(dir);
    expect(a!.diagnostics.map((d) => d.code)).toContain('XUNSHI_PDF_OCR');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
    expect(validate(a) ? [] : validate.errors).toEqual([]);
    expect(a!.source.format).toBe('pdf');
    expect(a!.passages.every((p) => p.page === 1)).toBe(true);

    const txt = createAnalyzer().analyze(text, { path: 'r.txt' });
    const accuracy = charAccuracy(text, a!.source.text ?? '');
    const expected = labelsOf(txt);
    const got = labelsOf(a!);
    // Labels of passages in order: the longest common subsequence over the .txt's passages.
    const agreement = lcs(expected, got) / expected.length;
    console.log(`OCR end to end: character accuracy ${accuracy.toFixed(4)}, passages ${got.length} (txt ${expected.length}), labels in order ${agreement.toFixed(3)}`);
    // Measured on this sample: accuracy 0.991, 36 passages for 30 (OCR reads some ： as ；, which ends a clause, and
    // set a paragraph's last character as a line of its own), labels in order 0.967.
    expect(accuracy).toBeGreaterThan(0.95);
    expect(Math.abs(got.length - expected.length)).toBeLessThanOrEqual(Math.ceil(expected.length * 0.25));
    expect(agreement).toBeGreaterThanOrEqual(0.9);
  });

  it('analyzeFiles takes ocr: true', { timeout: 120_000 }, async () => {
    const seen: string[] = [];
    await analyzeFiles([join(dir, 'a.pdf')], (r) => seen.push('report' in r ? r.report.diagnostics.map((d) => d.code).join(',') : r.error.code), { jobs: 1, ocr: true });
    expect(seen).toEqual([expect.stringContaining('XUNSHI_PDF_OCR')]);
    await expect(analyzeFiles([], () => {}, { ocr: 'yes' as unknown as boolean })).rejects.toThrow(/options\.ocr must be a boolean/);
  });
});

/** The longest common subsequence of two lists, in items. */
function lcs(x: readonly string[], y: readonly string[]): number {
  const row = new Array<number>(y.length + 1).fill(0);
  for (const xi of x) {
    let prev = 0;
    for (let j = 1; j <= y.length; j++) {
      const keep = row[j]!;
      row[j] = xi === y[j - 1] ? prev + 1 : Math.max(row[j]!, row[j - 1]!);
      prev = keep;
    }
  }
  return row[y.length]!;
}

describe.skipIf(!ready)('a scanned 整改台账 (ruled) against its text PDF', () => {
  it('gives the units, labels and heading paths of the text PDF, within OCR error', { timeout: 180_000 }, async () => {
    const html = ledgerPageHtml(true);
    const analyzer = createAnalyzer();
    const text = await analyzer.analyzeAsync(printPdf(chromium!, html), { path: 'ledger.pdf' });
    const scan = await analyzer.analyzeAsync(scanPdf(chromium!, [screenshot(chromium!, html)]), { path: 'scan.pdf', ocr: true });
    const units = (r: Report): string[] => r.passages.map((p) => p.text.replace(/\s+/g, ''));
    const expected = labelsOf(text);
    const got = labelsOf(scan);
    const sameUnits = lcs(units(text), units(scan)) / expected.length;
    const agreement = lcs(expected, got) / expected.length;
    const paths = lcs(text.passages.map((p) => p.headingPath.join(' > ')), scan.passages.map((p) => p.headingPath.join(' > '))) / expected.length;
    console.log(`scanned ledger: passages ${got.length} (text PDF ${expected.length}), units the same ${sameUnits.toFixed(3)}, labels in order ${agreement.toFixed(3)}, heading paths ${paths.toFixed(3)}`);
    // Every cell is a unit of its own (a unit never runs across cells): a cell OCR misread is one unit off, no more.
    expect(Math.abs(got.length - expected.length)).toBeLessThanOrEqual(2);
    expect(sameUnits).toBeGreaterThanOrEqual(0.8);
    expect(agreement).toBeGreaterThanOrEqual(0.9);
    expect(paths).toBeGreaterThanOrEqual(0.9);
  });
});

describe.skipIf(!ready)('scanned OFDs through the CLI', () => {
  let dir: string;
  let text: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-ofd-'));
    text = readFileSync(SAMPLE, 'utf8');
    const png = screenshot(chromium!, scanPageHtml(text.split('\n').filter((l) => l.trim() !== '')));
    writeFileSync(join(dir, 'a.ofd'), await makeScanOfd([{ image: png }]));
    copyFileSync(join(dir, 'a.ofd'), join(dir, 'b.ofd'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without --ocr an OFD scan is an error entry that names --ocr; with it, read by OCR, byte-identical with one thread and two', { timeout: 300_000 }, () => {
    const no = cli(['analyze', join(dir, 'a.ofd'), '--jobs', '1']);
    expect(no.status).toBe(1);
    expect(no.stderr).toMatch(/a\.ofd: the OFD document has 1 page\(s\) but no text objects \(a scanned document\?\): read it by OCR with --ocr .*\[XUNSHI_INPUT_NO_TEXT\]/);
    const [a] = ocrTwice(dir);
    expect(a!.source.format).toBe('ofd');
    expect(a!.diagnostics.map((d) => d.code)).toContain('XUNSHI_OFD_OCR');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
    expect(validate(a) ? [] : validate.errors).toEqual([]);
    const accuracy = charAccuracy(text, a!.source.text ?? '');
    const txt = createAnalyzer().analyze(text, { path: 'r.txt' });
    console.log(`OFD OCR end to end: character accuracy ${accuracy.toFixed(4)}, passages ${a!.passages.length} (txt ${txt.passages.length})`);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(Math.abs(a!.passages.length - txt.passages.length)).toBeLessThanOrEqual(Math.ceil(txt.passages.length * 0.25));
  });
});

describe.skipIf(!ready)('image files (a screenshot, a phone photograph) through the CLI', () => {
  let dir: string;
  let text: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-image-'));
    text = readFileSync(SAMPLE, 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    mkdirSync(join(dir, 'scans'));
    writeFileSync(join(dir, 'scans/a.png'), screenshot(chromium!, scanPageHtml(paragraphs)));
    // The same page as a phone stores it: pixels a quarter turn round, EXIF orientation 6 to show it upright.
    const upright = pixelsOf(screenshot(chromium!, scanPageHtml(paragraphs), 3, 'jpeg'));
    writeFileSync(join(dir, 'scans/b.jpg'), jpegOf(storedFor(upright, 6), 6));
    copyFileSync(SAMPLE, join(dir, 'scans/c.txt'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without --ocr a folder\'s images are skipped, said with the way to read them; one named is an error entry that names --ocr', () => {
    const walk = cli(['analyze', join(dir, 'scans'), '--format', 'jsonl', '--jobs', '1']);
    expect(walk.status).toBe(0);
    expect(walk.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Report).source.path)).toEqual([join(dir, 'scans/c.txt')]);
    expect(walk.stderr).toMatch(/skipped 2 file\(s\) in folders that are not .*; name them explicitly to get error entries; 2 of them are images \(\.png, \.jpg, .*\): --ocr reads the PNG, JPEG, BMP, TIFF, GIF, WebP and HEIC ones\n/);
    const named = cli(['analyze', join(dir, 'scans/b.jpg'), '--jobs', '1']);
    expect(named.status).toBe(1);
    expect(named.stderr).toMatch(/b\.jpg: the file is a JPEG image \(3369 × 2382 pixels\), which has no text but what OCR reads: read it with --ocr .*\[XUNSHI_INPUT_NO_TEXT\]/);
  });

  it('with --ocr a folder\'s images are read, byte-identical with one thread and two, the turned photograph upright, labels close to the .txt', { timeout: 300_000 }, () => {
    const run = (jobs: string): string => {
      const r = cli(['analyze', join(dir, 'scans'), '--ocr', '--format', 'jsonl', '--jobs', jobs, '--quiet']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    };
    const one = run('1');
    expect(run('2')).toBe(one);
    const [a, b, c] = one.trim().split('\n').map((l) => JSON.parse(l) as Report);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
    for (const r of [a!, b!]) {
      expect(validate(r) ? [] : validate.errors).toEqual([]);
      expect(r.source.format).toBe('image');
      expect(r.source.pages).toBe(1);
      const accuracy = charAccuracy(text, r.source.text ?? '');
      const agreement = lcs(labelsOf(c!), labelsOf(r)) / c!.passages.length;
      console.log(`image OCR end to end (${r.source.path.slice(-5)}): character accuracy ${accuracy.toFixed(4)}, passages ${r.passages.length} (txt ${c!.passages.length}), labels in order ${agreement.toFixed(3)}`);
      // Measured: both 0.991, 37 passages for 30, labels in order 0.933 (the scanned PDF of the same page: 0.967).
      expect(accuracy).toBeGreaterThan(0.95);
      expect(agreement).toBeGreaterThanOrEqual(0.9);
    }
    expect(b!.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')?.message).toMatch(/turned upright by its EXIF orientation \(6\)$/);
  });
});

/** A note kept beside the photographs: a report of its own. */
const SHORT_NOTE = '照片为市委第二巡察组反馈意见原件，共三页，由党政办拍照留存。\n';

describe.skipIf(!ready)("a phone's photographs of a notice's pages, one file a page, read as one report (--join-images)", () => {
  let dir: string;
  let text: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-join-'));
    text = readFileSync(SAMPLE, 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const third = Math.ceil(paragraphs.length / 3);
    mkdirSync(join(dir, 'notice'));
    // Named as a phone numbers them: code-unit order (IMG_10, IMG_11, IMG_9) is not the pages' order. The last page a
    // photograph held a quarter turn round (EXIF orientation 6); a file cut short among them; a note beside them.
    [paragraphs.slice(0, third), paragraphs.slice(third, 2 * third), paragraphs.slice(2 * third)].forEach((ps, k) => {
      const shot = screenshot(chromium!, scanPageHtml(ps), 3, 'jpeg');
      writeFileSync(join(dir, `notice/IMG_${k + 9}.jpg`), k === 2 ? jpegOf(storedFor(pixelsOf(shot), 6), 6) : shot);
    });
    writeFileSync(join(dir, 'notice/IMG_12.jpg'), readFileSync(join(dir, 'notice/IMG_9.jpg')).subarray(0, 300));
    writeFileSync(join(dir, 'notice/readme.txt'), SHORT_NOTE);
    writeFileSync(join(dir, 'notice.zip'), makeZipArchive(['IMG_9.jpg', 'IMG_10.jpg', 'IMG_11.jpg', 'IMG_12.jpg', 'readme.txt'].map((name) => ({ name: `notice/${name}`, data: readFileSync(join(dir, 'notice', name)) }))));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs --ocr; with it, the folder is one report of its pages in their numbers\' order (the damaged file named), the same with one thread and two, from the folder and its zip, labels close to the .txt', { timeout: 300_000 }, () => {
    const usage = cli(['analyze', join(dir, 'notice'), '--join-images']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--join-images reads images as the pages of a report by OCR: give --ocr too/);
    const one = cli(['analyze', join(dir, 'notice'), '--ocr', '--join-images', '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(one.stderr).toBe('');
    expect(one.status).toBe(0);
    // The report takes the place of the folder's first image (IMG_10.jpg comes before readme.txt).
    const [report, note] = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
    expect(note!.source.path).toBe(join(dir, 'notice/readme.txt'));
    expect(new Ajv({ allErrors: true, strict: false }).validate(REPORT_SCHEMA, report)).toBe(true);
    expect([report!.source.path, report!.source.format, report!.source.pages, report!.source.pageFiles]).toEqual([`${join(dir, 'notice')}/`, 'image', 3, ['IMG_9.jpg', 'IMG_10.jpg', 'IMG_11.jpg']]);
    expect(report!.source.sha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'notice/IMG_9.jpg'))).update(readFileSync(join(dir, 'notice/IMG_10.jpg'))).update(readFileSync(join(dir, 'notice/IMG_11.jpg'))).update(readFileSync(join(dir, 'notice/IMG_12.jpg'))).digest('hex'));
    expect(new Set(report!.passages.map((p) => p.page))).toEqual(new Set([1, 2, 3]));
    expect(report!.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')?.message).toMatch(/^3 page\(s\) of the 4 image files read by OCR \(tesseract\.js, chi_sim\): pages 1–3; mean word confidence \d+%; turned upright by their orientation: IMG_11\.jpg \(6\); not read: IMG_12\.jpg \(a JPEG image whose header gives no size\)$/);
    const txt = createAnalyzer().analyze(text, { path: 'r.txt' });
    const accuracy = charAccuracy(text, report!.source.text ?? '');
    const agreement = lcs(labelsOf(txt), labelsOf(report!)) / txt.passages.length;
    console.log(`three photographs joined end to end: character accuracy ${accuracy.toFixed(4)}, passages ${report!.passages.length} (txt ${txt.passages.length}), labels in order ${agreement.toFixed(3)}`);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(agreement).toBeGreaterThanOrEqual(0.9);
    // A budget of 1 s, less than OCR of three pages takes: each page read by OCR grows it (by 30 s), so the report is
    // not stopped for its length.
    const short = cli(['analyze', join(dir, 'notice'), '--ocr', '--join-images', '--timeout', '1', '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(short.stderr).toBe('');
    expect(short.stdout).toBe(one.stdout);
    // One report with two jobs: its pages read two at a time (two OCR threads), the same bytes.
    const paired = cli(['analyze', join(dir, 'notice'), '--ocr', '--join-images', '--format', 'jsonl', '--jobs', '2', '--quiet']);
    expect(paired.stderr).toBe('');
    expect(paired.stdout).toBe(one.stdout);
    // Two threads, the folder and its zip, one JSON file a report named by the folder.
    const out = join(dir, 'out');
    const two = cli(['analyze', join(dir, 'notice'), join(dir, 'notice.zip'), '--ocr', '--join-images', '--format', 'json', '--out', out, '--jobs', '2', '--quiet']);
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'notice/readme.json'), 'utf8'))).toEqual(note);
    expect(JSON.parse(readFileSync(join(out, 'notice.json'), 'utf8'))).toEqual(report);
    const zipped = JSON.parse(readFileSync(join(out, 'notice.zip/notice.json'), 'utf8')) as Report;
    expect(zipped.source.path).toBe(`${join(dir, 'notice.zip')}/notice/`);
    expect({ ...zipped, source: { ...zipped.source, path: null } }).toEqual({ ...report, source: { ...report!.source, path: null } });
    // Run again with --incremental: the four reports kept, no page read by OCR again. A page file changed (the damaged
    // one, cut elsewhere): the folder's report is read again, the others kept.
    const args = [join(dir, 'notice'), join(dir, 'notice.zip'), '--ocr', '--join-images', '--format', 'json', '--out', out, '--jobs', '2', '--incremental'];
    const kept = cli(['analyze', ...args]);
    expect(kept.status).toBe(0);
    expect(kept.stderr).toBe(`xunshi: --incremental: kept 4 report(s) of ${out} whose inputs are unchanged, analysed 0\n`);
    writeFileSync(join(dir, 'notice/IMG_12.jpg'), readFileSync(join(dir, 'notice/IMG_9.jpg')).subarray(0, 400));
    const changed = cli(['analyze', ...args]);
    expect(changed.stderr).toBe(`xunshi: --incremental: kept 3 report(s) of ${out} whose inputs are unchanged, analysed 1\n`);
    const again = JSON.parse(readFileSync(join(out, 'notice.json'), 'utf8')) as Report;
    expect(again.source.sha256).not.toBe(report!.source.sha256);
    expect({ ...again, source: { ...again.source, sha256: '' } }).toEqual({ ...report, source: { ...report!.source, sha256: '' } });
  });
});

describe.skipIf(!ready || !SOFFICE)('Word documents of pasted scans (.docx, and the .doc, RTF and .odt LibreOffice saves of it) through the CLI', () => {
  let dir: string;
  let text: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-word-'));
    text = readFileSync(SAMPLE, 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const half = Math.ceil(paragraphs.length / 2);
    const pages = [screenshot(chromium!, scanPageHtml(paragraphs.slice(0, half)), 2), screenshot(chromium!, scanPageHtml(paragraphs.slice(half)), 2, 'jpeg')];
    writeFileSync(join(dir, 'scan.docx'), await picturesDocx(pages));
    // The same scans under a title typed above them, as a clerk files a paper report.
    writeFileSync(join(dir, 'titled.docx'), await picturesDocx(pages, ['凤鸣街道巡察整改报告（扫描件）']));
    saveAs(dir, 'doc', ['scan.docx']);
    saveAs(dir, 'rtf', ['scan.docx']);
    saveAs(dir, 'odt', ['scan.docx']);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without --ocr each is an error entry naming its pictures and --ocr (a titled one its title, saying so); with it, read page by page as the source, after the title', { timeout: 300_000 }, () => {
    const no = cli(['analyze', join(dir, 'scan.doc'), join(dir, 'scan.docx'), join(dir, 'titled.docx'), '--jobs', '1', '--format', 'jsonl']);
    expect(no.status).toBe(1);
    // The titled one is read as its title, and says that its pictures were not.
    const titledPlain = JSON.parse(no.stdout.trim().split('\n').find((l) => l.includes('titled.docx'))!) as Report;
    expect(titledPlain.source.text).toBe('凤鸣街道巡察整改报告（扫描件）');
    expect(titledPlain.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_PICTURES_NOT_READ']);
    expect(no.stderr).toMatch(/scan\.doc: the Word document \(\.doc\) has no text but 2 picture\(s\) \(pages scanned into it\?\): read it by OCR with --ocr .*\[XUNSHI_INPUT_NO_TEXT\]/);
    expect(no.stderr).toMatch(/scan\.docx: the Word document has no text but 2 picture\(s\) \(pages scanned into it\?\): read it by OCR with --ocr .*\[XUNSHI_INPUT_NO_TEXT\]/);
    for (const other of ['scan.rtf', 'scan.odt']) {
      // (LibreOffice's RTF of two page scans is about 84 MB: each picture in hexadecimal, and again as a metafile.)
      const named = cli(['analyze', join(dir, other), '--jobs', '1', '--max-size', '200M']);
      expect(named.status).toBe(1);
      expect(named.stderr).toMatch(new RegExp(`${other.replace('.', '\\.')}: the (RTF document|OpenDocument text) has no text but 2 picture\\(s\\) \\(pages scanned into it\\?\\): read it by OCR with --ocr .*\\[XUNSHI_INPUT_NO_TEXT\\]`));
    }
    const r = cli(['analyze', join(dir, 'scan.doc'), join(dir, 'scan.docx'), join(dir, 'titled.docx'), join(dir, 'scan.rtf'), join(dir, 'scan.odt'), '--ocr', '--jobs', '2', '--format', 'jsonl', '--quiet', '--max-size', '200M']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
    expect(reports.map((x) => [x.source.format, x.source.pages])).toEqual([
      ['doc', 2],
      ['docx', 2],
      ['docx', 2],
      ['rtf', 2],
      ['odt', 2],
    ]);
    expect(reports.map((x) => x.diagnostics.map((d) => d.code).find((c) => c.endsWith('_OCR')))).toEqual(['XUNSHI_DOC_OCR', 'XUNSHI_DOCX_OCR', 'XUNSHI_DOCX_OCR', 'XUNSHI_RTF_OCR', 'XUNSHI_ODT_OCR']);
    // The RTF and the .odt read as the .docx they were saved from.
    expect(reports[3]!.source.text).toBe(reports[1]!.source.text);
    expect(reports[4]!.source.text).toBe(reports[1]!.source.text);
    // The title, then the scans' text, as the untitled document reads it.
    const titled = reports[2]!;
    expect(titled.source.text).toBe(`凤鸣街道巡察整改报告（扫描件）\n${reports[1]!.source.text}`);
    expect(titled.passages[0]!.text).toBe('凤鸣街道巡察整改报告（扫描件）');
    expect(titled.passages[0]!.page).toBe(1);
    const txt = createAnalyzer().analyze(text, { path: 'r.txt' });
    for (const x of reports.slice(0, 2)) {
      const accuracy = charAccuracy(text, x.source.text ?? '');
      const agreement = lcs(labelsOf(txt), labelsOf(x)) / txt.passages.length;
      console.log(`pasted scans in .${x.source.format}: character accuracy ${accuracy.toFixed(4)}, passages ${x.passages.length} (txt ${txt.passages.length}), labels in order ${agreement.toFixed(3)}`);
      // Measured: both 0.993, 35 passages for 30, labels in order 0.967.
      expect(accuracy).toBeGreaterThan(0.95);
      expect(agreement).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe.skipIf(!ready || !TIFFCP)('a scanner\'s multi-page TIFF (black and white, CCITT T.6) through the CLI', () => {
  let dir: string;
  let text: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-tiff-'));
    text = readFileSync(SAMPLE, 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const half = Math.ceil(paragraphs.length / 2);
    // Two pages at about 290 dpi, made black and white as a scanner's document mode does, in one file.
    const pages = [paragraphs.slice(0, half), paragraphs.slice(half)].map((ps): TiffPicture => {
      const shot = pixelsOf(screenshot(chromium!, scanPageHtml(ps)));
      return { width: shot.width, height: shot.height, bits: 1, pixels: Uint8Array.from({ length: shot.width * shot.height }, (_, i) => (shot.data[i * 4]! < 160 ? 1 : 0)) };
    });
    writeFileSync(join(dir, 'scan.tif'), tiffcp(tiffOf(pages), ['-c', 'g4']));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without --ocr is an error entry naming its pages and --ocr; with it, read page by page, labels close to the .txt', { timeout: 300_000 }, () => {
    const no = cli(['analyze', join(dir, 'scan.tif'), '--jobs', '1']);
    expect(no.status).toBe(1);
    expect(no.stderr).toMatch(/scan\.tif: the file is a TIFF image of 2 pages \(2382 × 3369 pixels the first\), which has no text but what OCR reads: read it with --ocr .*\[XUNSHI_INPUT_NO_TEXT\]/);
    const r = cli(['analyze', join(dir, 'scan.tif'), '--ocr', '--format', 'json', '--jobs', '1', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(new Ajv({ allErrors: true, strict: false }).validate(REPORT_SCHEMA, report)).toBe(true);
    expect([report.source.format, report.source.pages]).toEqual(['image', 2]);
    expect(new Set(report.passages.map((p) => p.page))).toEqual(new Set([1, 2]));
    expect(report.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')?.message).toMatch(/^2 page\(s\) of the TIFF image read by OCR \(tesseract\.js, chi_sim\): pages 1–2; mean word confidence \d+%$/);
    const txt = createAnalyzer().analyze(text, { path: 'r.txt' });
    const accuracy = charAccuracy(text, report.source.text ?? '');
    const agreement = lcs(labelsOf(txt), labelsOf(report)) / txt.passages.length;
    console.log(`two-page CCITT T.6 TIFF end to end: character accuracy ${accuracy.toFixed(4)}, passages ${report.passages.length} (txt ${txt.passages.length}), labels in order ${agreement.toFixed(3)}`);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(agreement).toBeGreaterThanOrEqual(0.9);
  });
});

describe.skipIf(!ready)('a notice posted as scans, saved as "webpage, complete" (NAME.html beside NAME_files/), through the CLI', () => {
  let dir: string;
  let text: string;
  const TITLE = '县委第一巡察组关于巡察某镇党委的反馈情况';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-ocr-page-'));
    text = readFileSync(SAMPLE, 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const half = Math.ceil(paragraphs.length / 2);
    mkdirSync(join(dir, 'site/notice_files'), { recursive: true });
    [paragraphs.slice(0, half), paragraphs.slice(half)].forEach((ps, i) => writeFileSync(join(dir, `site/notice_files/W0${i + 1}.jpg`), screenshot(chromium!, scanPageHtml(ps), 2, 'jpeg')));
    // A picture outside the page's folder, which its page names but is never read.
    writeFileSync(join(dir, 'outside.jpg'), screenshot(chromium!, scanPageHtml(['不应读取的图片。']), 1, 'jpeg'));
    writeFileSync(
      join(dir, 'site/notice.html'),
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${TITLE}</title></head><body><div class="article"><h1>${TITLE}</h1><p>发布时间：2023-05-06 来源：县纪委监委</p>` +
        '<p><img src="notice_files/W01.jpg"></p><p><img src="./notice_files/W02.jpg"></p><p><img src="../outside.jpg"></p></div></body></html>',
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without --ocr: the title and date line, with a diagnostic naming the pictures; with it, a folder walk gives one report: the page and its scans, page by page', { timeout: 300_000 }, () => {
    const no = cli(['analyze', join(dir, 'site/notice.html'), '--format', 'json', '--jobs', '1', '--quiet']);
    expect(no.status).toBe(0);
    const plain = JSON.parse(no.stdout) as Report;
    expect(plain.passages.map((p) => p.text)).toEqual([TITLE, '发布时间：2023-05-06 来源：县纪委监委']);
    expect(plain.diagnostics.find((d) => d.code === 'XUNSHI_PICTURES_NOT_READ')?.message).toMatch(/^the page has \d+ characters of text and 2 picture\(s\) the size of a page \(pages scanned into it\?\): with --ocr/);
    const r = cli(['analyze', join(dir, 'site'), '--ocr', '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
    expect(reports.map((x) => [x.source.path, x.source.format, x.source.pages])).toEqual([[join(dir, 'site/notice.html'), 'html', 2]]);
    const report = reports[0]!;
    expect(report.passages[0]!.text).toBe(TITLE);
    expect(report.diagnostics.find((d) => d.code === 'XUNSHI_HTML_OCR')?.message).toMatch(/^2 page\(s\) of a page \(its pictures\) read by OCR \(tesseract\.js, chi_sim\): pages 1–2; mean word confidence \d+%$/);
    expect(report.source.text).not.toContain('不应读取');
    const scans = (report.source.text ?? '').slice((report.source.text ?? '').indexOf('县纪委监委') + 5);
    const txt = createAnalyzer().analyze(text, { path: 'r.txt' });
    const accuracy = charAccuracy(text, scans);
    const agreement = lcs(labelsOf(txt), labelsOf(report).slice(2)) / txt.passages.length;
    console.log(`a page of two JPEG scans in NAME_files: character accuracy ${accuracy.toFixed(4)}, passages ${report.passages.length} (txt ${txt.passages.length} + 2), labels in order ${agreement.toFixed(3)}`);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(agreement).toBeGreaterThanOrEqual(0.9);
    // The same saved page sent as a zip archive (with the picture outside its folder): read the same, from the archive.
    const entries = ['notice.html', 'notice_files/W01.jpg', 'notice_files/W02.jpg'].map((name) => ({ name: `site/${name}`, data: new Uint8Array(readFileSync(join(dir, 'site', name))), deflate: true }));
    writeFileSync(join(dir, 'site.zip'), makeZipArchive([...entries, { name: 'outside.jpg', data: new Uint8Array(readFileSync(join(dir, 'outside.jpg'))) }]));
    const zipped = cli(['analyze', join(dir, 'site.zip'), '--ocr', '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(zipped.stderr).toBe('');
    // (The picture at the archive's root is an image of its own, read as one; the page's pictures are not.)
    const fromZip = zipped.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
    expect(fromZip.map((x) => [x.source.path, x.source.format, x.source.pages])).toEqual([
      [join(dir, 'site.zip/outside.jpg'), 'image', 1],
      [join(dir, 'site.zip/site/notice.html'), 'html', 2],
    ]);
    expect(fromZip[1]!.source.text).toBe(report.source.text);
  });
});
