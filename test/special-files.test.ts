import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 11, defect 3: a FIFO or a link to a device must become an error entry, not hang the batch or lose the inputs after it.
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'packages/xunshi/bin/xunshi.js');
const HAS_MKFIFO = spawnSync('mkfifo', ['--version']).error === undefined;
const HAS_DEV_ZERO = existsSync('/dev/zero');
if (!HAS_MKFIFO || !HAS_DEV_ZERO) {
  console.warn(`SKIPPED: ${HAS_MKFIFO ? '/dev/zero is absent' : 'no \`mkfifo\` command'}, so test/special-files.test.ts (FIFO and device inputs in a batch) is skipped whole (not passed).`);
}

interface Run { code: number | null; stdout: string; stderr: string; killed: boolean }

/** Run the CLI; kill it after 30 s so that a hang fails the test instead of blocking the suite. */
function runCli(args: string[], cwd: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, 30_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr, killed }); });
    child.stdin.end('');
  });
}

const GOOD = '巡视发现，该单位落实全面从严治党主体责任不到位，违规发放津补贴12.5万元。\n';
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'xunshi-special-'));
  const dir = join(work, 'in');
  mkdirSync(dir);
  writeFileSync(join(dir, 'good1.txt'), GOOD);
  writeFileSync(join(dir, 'good2.txt'), GOOD);
  if (HAS_MKFIFO) spawnSync('mkfifo', [join(dir, 'fifo.txt')]);
  if (HAS_DEV_ZERO) symlinkSync('/dev/zero', join(dir, 'zero.txt'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!HAS_MKFIFO || !HAS_DEV_ZERO)('special files in a batch', () => {
  const check = (run: Run, order: string[]): void => {
    expect(run.killed).toBe(false);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.map((l) => l.source?.path ?? l.error?.path)).toEqual(order);
    expect(lines[0]!.error).toBeUndefined();
    expect(lines[3]!.error).toBeUndefined();
    expect(lines[1]!.error.code).toBe('XUNSHI_INPUT_NOT_REGULAR');
    expect(lines[1]!.error.message).toMatch(/FIFO/);
    expect(lines[2]!.error.code).toBe('XUNSHI_INPUT_NOT_REGULAR');
    expect(lines[2]!.error.message).toMatch(/character device/);
    expect(run.code).toBe(1);
  };

  it('named directly: one entry per input, in order, nothing hangs', async () => {
    const order = ['in/good1.txt', 'in/fifo.txt', 'in/zero.txt', 'in/good2.txt'];
    check(await runCli(['analyze', '--format', 'jsonl', '--jobs', '2', ...order], work), order);
  }, 90_000);

  it('found while walking a folder', async () => {
    const order = ['in/fifo.txt', 'in/good1.txt', 'in/good2.txt', 'in/zero.txt'];
    const run = await runCli(['analyze', '--format', 'jsonl', '--jobs', '1', 'in'], work);
    expect(run.killed).toBe(false);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.map((l) => l.source?.path ?? l.error?.path)).toEqual(order);
    expect(lines.map((l) => l.error?.code ?? 'report')).toEqual(['XUNSHI_INPUT_NOT_REGULAR', 'report', 'report', 'XUNSHI_INPUT_NOT_REGULAR']);
    expect(run.code).toBe(1);
  }, 90_000);

  it('named alone, as a PDF or as text, with one job: an error entry, and telling its format does not wait for a writer', async () => {
    // With one job a lone input that is not text runs in a worker; its first bytes tell, and a FIFO has none to read.
    spawnSync('mkfifo', [join(work, 'in/fifo.pdf')]);
    for (const name of ['in/fifo.pdf', 'in/fifo.txt']) {
      const run = await runCli(['analyze', '--format', 'jsonl', '--jobs', '1', name], work);
      expect(run.killed).toBe(false);
      expect(JSON.parse(run.stdout).error).toMatchObject({ path: name, code: 'XUNSHI_INPUT_NOT_REGULAR' });
      expect(run.code).toBe(1);
    }
  }, 90_000);
});
