import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, createAnalyzer, type Report } from 'xunshi';
import { runMain } from './support/run-main.js';
import { makeDocx } from '../packages/document/test/support/fixtures.js';
import { makeZipArchive } from '../packages/document/test/support/zip-fixtures.js';
import { REPO_DIR } from './support/shared.js';

// A zip of reports as analysts receive them by mail: made on a Chinese Windows (GBK names, no UTF-8 flag), reports in
// several formats and a subfolder.
let dir: string;
let sample: string;
const CLI = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const run = runMain;
const labels = (r: Report) => r.passages.map((p) => [p.text, p.function, p.categories.map((c) => c.id), p.rootCauses.map((c) => c.id)]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xunshi-zip-'));
  sample = readFileSync(`${REPO_DIR}corpus/tuning/feedback-02.txt`, 'utf8');
  const paragraphs = sample.split('\n').filter((l) => l.trim() !== '');
  writeFileSync(
    join(dir, '巡察反馈材料.zip'),
    makeZipArchive([
      { name: '一、反馈意见.txt', data: sample, gbk: true, deflate: true },
      { name: '二、整改/整改报告.docx', data: await makeDocx(paragraphs.map((text) => ({ text }))), gbk: true },
      { name: '说明.json', data: '{}', gbk: true },
      { name: '大文件.txt', data: '巡'.repeat(400_000), deflate: true },
    ]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a zip archive of reports', () => {
  it('gives each report inside the labels it has outside, under the archive\'s path; a too-large entry is an error entry', async () => {
    const r = await run(['analyze', dir, '--format', 'jsonl', '--jobs', '1', '--quiet', '--max-size', '1MiB']);
    expect(r.code).toBe(1);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as Report | { error: { path: string; code: string } });
    expect(rows.map((x) => ('error' in x ? `${x.error.path.slice(dir.length + 1)}:${x.error.code}` : `${x.source.path!.slice(dir.length + 1)}:${x.source.format}`))).toEqual([
      `巡察反馈材料.zip/一、反馈意见.txt:text`,
      `巡察反馈材料.zip/二、整改/整改报告.docx:docx`,
      `巡察反馈材料.zip/大文件.txt:${ERROR_CODES.INPUT_TOO_LARGE}`,
    ]);
    const expected = labels(createAnalyzer().analyze(sample));
    expect(labels(rows[0] as Report)).toEqual(expected);
    expect(labels(rows[1] as Report).map((l) => l.slice(1))).toEqual(expected.map((l) => l.slice(1)));
    // Worker threads read the entries from the archive themselves: the same output.
    const threads = spawnSync(process.execPath, [CLI, 'analyze', dir, '--format', 'jsonl', '--jobs', '2', '--quiet', '--max-size', '1MiB'], { encoding: 'utf8', timeout: 200_000 });
    expect(threads.status).toBe(1);
    expect(threads.stdout).toBe(r.out);
  });

  it('reads the first of two entries of one name and makes the second an error entry (it was dropped without a word)', async () => {
    const zip = join(dir, 'twice', '重名.zip');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'twice'));
    writeFileSync(zip, makeZipArchive([{ name: 'x.txt', data: sample }, { name: 'x.txt', data: sample.replace('巡', '巡察') }]));
    const r = await run(['analyze', zip, '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(r.code).toBe(1);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as Report | { error: { path: string; code: string; message: string } });
    expect(rows.map((x) => ('error' in x ? `${x.error.code}: ${x.error.message}` : x.source.format))).toEqual([
      'text',
      `${ERROR_CODES.INPUT_UNREADABLE}: cannot read input: the archive holds another entry of this name before it (only the first is read); extract the archive and look at it first`,
    ]);
  });

  it('makes an entry whose name holds NUL an error entry; the other inputs of the folder are written (the batch stopped, OUTPUT_FAILED)', async () => {
    const { mkdirSync, readdirSync } = await import('node:fs');
    const folder = join(dir, 'nul');
    mkdirSync(folder);
    writeFileSync(join(folder, '1-bad.zip'), makeZipArchive([{ name: new Uint8Array([0x61, 0x00, 0x2e, 0x74, 0x78, 0x74]), data: sample }, { name: 'ok.txt', data: sample }]));
    writeFileSync(join(folder, '2-good.txt'), sample);
    const out = join(dir, 'nul-out');
    const r = await run(['analyze', folder, '--format', 'json', '--out', out, '--jobs', '1', '--quiet']);
    expect(r.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['.xunshi-manifest.json', '1-bad.zip', '2-good.json', 'errors.jsonl']);
    expect(readFileSync(join(out, 'errors.jsonl'), 'utf8')).toContain("the archive entry's name holds a NUL character");
  });

  it('writes one output per report inside, named as the files of a folder are; refuses to write over the archive; says what it skipped', async () => {
    const out = join(dir, 'out');
    const r = await run(['analyze', join(dir, '巡察反馈材料.zip'), '--format', 'json', '--out', out, '--jobs', '1']);
    expect(r.code).toBe(0);
    // As for a folder named alone, names are relative to it: the archive's members at the top of --out.
    expect(readdirSync(out).sort()).toEqual(['.xunshi-manifest.json', '一、反馈意见.json', '二、整改', '大文件.json', 'errors.jsonl'].sort());
    expect(readdirSync(join(out, '二、整改'))).toEqual(['整改报告.json']);
    expect(JSON.parse(readFileSync(join(out, '二、整改', '整改报告.json'), 'utf8')).source.path).toBe(join(dir, '巡察反馈材料.zip', '二、整改', '整改报告.docx'));
    expect(r.err).toMatch(/skipped 1 entry of zip archives .*说明\.json.*extract the archive/);
    expect(r.err).not.toMatch(/name them explicitly/);
    const clash = await run(['analyze', join(dir, '巡察反馈材料.zip'), '--format', 'jsonl', '--out', join(dir, '巡察反馈材料.zip')]);
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/would overwrite the input/);
  });
});
