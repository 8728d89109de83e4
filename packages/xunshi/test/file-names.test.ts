// File names that are not UTF-8 (a folder copied from an old GBK system): read as strings they came back with U+FFFD,
// which names no file ('no such file'), and two names differing only in such bytes came back the same (the second was
// dropped as named twice). They are read as bytes, shown with \xHH and opened by their bytes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFileName, expandInputs, parseFileList } from '../src/inputs.js';
import { readRegularFile } from '../src/task.js';

const BIN = fileURLToPath(new URL('../bin/xunshi.js', import.meta.url));
let root: string;
const TEXT = '巡视发现，该单位落实全面从严治党主体责任不到位，违规发放津补贴12.5万元。\n';
const bytesPath = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'xunshi-names-'));
  mkdirSync(join(root, 'in'));
  writeFileSync(bytesPath(root, '/in/bad', [0xff], '.txt'), TEXT);
  writeFileSync(bytesPath(root, '/in/bad', [0xfe], '.txt'), TEXT.replace('12.5', '8'));
  // 报告 in GBK: C2 B1 B8 E6
  mkdirSync(bytesPath(root, '/in/', [0xb1, 0xa8, 0xb8, 0xe6]));
  writeFileSync(bytesPath(root, '/in/', [0xb1, 0xa8, 0xb8, 0xe6], '/inner.txt'), TEXT);
  writeFileSync(join(root, 'in/ok-报告.txt'), TEXT);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// In code-unit order of the names as shown: `\\` before letters.
const WANT = ['in/\\xB1\\xA8\\xB8\\xE6/inner.txt', 'in/bad\\xFE.txt', 'in/bad\\xFF.txt', 'in/ok-报告.txt'];

describe('file names that are not UTF-8', () => {
  it('decodeFileName keeps UTF-8 and shows other bytes as \\xHH', () => {
    expect(decodeFileName(Buffer.from('报告 a.txt'))).toBe('报告 a.txt');
    expect(decodeFileName(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('\uFEFFa');
    expect(decodeFileName(Buffer.from([0x61, 0xff, 0xe6, 0x8a, 0xa5, 0xe6, 0x8a]))).toBe('a\\xFF报\\xE6\\x8A');
  });

  it('a folder walk lists each once, by a name of its own, and opens it by its bytes', async () => {
    const r = await expandInputs(['in'], { cwd: root });
    expect(r.inputs.map((i) => i.path)).toEqual(WANT);
    expect(r.duplicates).toEqual([]);
    expect(r.inputs.every((i) => !i.error)).toBe(true);
    expect(r.inputs[3]!.raw).toBeUndefined();
    for (const input of r.inputs) expect(readRegularFile(input.raw ?? input.absolute!, input.path).toString('utf8')).toMatch(/^巡视发现/);
  });

  it('a name that is not UTF-8 and a real name spelt with the same \\xHH are two files, both read', async () => {
    const dir = join(root, 'clash');
    mkdirSync(dir);
    writeFileSync(bytesPath(dir, '/bad', [0xb1], '.txt'), TEXT);
    writeFileSync(join(dir, 'bad\\xB1.txt'), TEXT.replace('12.5', '8'));
    const r = await expandInputs(['clash'], { cwd: root });
    expect(r.inputs.map((i) => i.path)).toEqual(['clash/bad\\xB1.txt', 'clash/bad\\xB1.txt']);
    expect(r.duplicates).toEqual([]);
    expect(r.inputs.map((i) => readRegularFile(i.raw ?? i.absolute!, i.path).toString('utf8').includes('12.5'))).toEqual([false, true]);
    // (Equal names are in the order of their bytes: \\ before 0xB1.) The same file named twice is still read once.
    expect((await expandInputs(['clash', 'clash'], { cwd: root })).duplicates).toHaveLength(2);
  });

  it('a --files-from list keeps a line that is not UTF-8 as bytes, which open the file', async () => {
    const list = bytesPath('\uFEFF# GBK names\n', 'in/bad', [0xff], '.txt\r\n', '  in/ok-报告.txt \n', '# not UTF-8 ', [0xfe], '\n\n', [0x20], 'in/', [0xb1, 0xa8, 0xb8, 0xe6], ' \n', 'in/', [0xb1, 0xa8, 0xb8, 0xe6], '/inner.txt');
    const parsed = parseFileList(list);
    expect(parsed.map((p) => (typeof p === 'string' ? p : decodeFileName(p)))).toEqual(['in/bad\\xFF.txt', 'in/ok-报告.txt', 'in/\\xB1\\xA8\\xB8\\xE6', WANT[0]]);
    expect(parsed.map((p) => typeof p)).toEqual(['object', 'string', 'object', 'object']);
    const r = await expandInputs([], { cwd: root, listed: parsed });
    expect(r.inputs.map((i) => [i.path, i.error?.message])).toEqual([
      ['in/bad\\xFF.txt', undefined],
      ['in/ok-报告.txt', undefined],
      ['in/\\xB1\\xA8\\xB8\\xE6', 'cannot read input: it is a folder (a --files-from list names files)'],
      [WANT[0], undefined],
    ]);
    for (const input of [r.inputs[0]!, r.inputs[3]!]) expect(readRegularFile(input.raw!, input.path).toString('utf8')).toMatch(/^巡视发现/);
  });

  it.each(['1', '2'])('analyze --jobs %s gives each its report', (jobs) => {
    const r = spawnSync(process.execPath, [BIN, 'analyze', 'in', '--format', 'jsonl', '--jobs', jobs], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { source?: { path: string } });
    expect(lines.map((l) => l.source?.path)).toEqual(WANT);
  }, 60_000);
});
