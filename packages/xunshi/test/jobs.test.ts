import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobsWarning } from '../src/analyze-command.js';

const BIN = new URL('../bin/xunshi.js', import.meta.url).pathname;

describe('--jobs above the cores', () => {
  it('warns only when more workers would start than there are cores', () => {
    expect(jobsWarning(2, 100, 2)).toBeUndefined();
    expect(jobsWarning(500, 2, 2)).toBeUndefined();
    expect(jobsWarning(500, 1000, 8)).toBe(
      'xunshi: --jobs 500 starts 500 worker threads on a machine with 8 core(s); each takes its own memory, so more than 8 add memory, not speed\n',
    );
    expect(jobsWarning(16, 3, 2)).toMatch(/starts 3 worker threads/);
  });
  it('the CLI says so on standard error, not with --quiet, and analyses all the same', { timeout: 240_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-jobs-'));
    const cores = availableParallelism();
    const files = Array.from({ length: cores + 1 }, (_, i) => join(dir, `r${i}.txt`));
    for (const f of files) writeFileSync(f, '巡视发现，违规发放津贴补贴12万元。\n');
    // Worker threads run the built CLI, as a user runs it.
    const run = (extra: string[]): { code: number | null; out: string; err: string } => {
      const r = spawnSync(process.execPath, [BIN, 'analyze', dir, '--format', 'jsonl', '--jobs', String(cores + 1), ...extra], { encoding: 'utf8', timeout: 200_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const loud = run([]);
    expect(loud.code).toBe(0);
    expect(loud.out.trim().split('\n')).toHaveLength(cores + 1);
    expect(loud.err).toContain(`--jobs ${cores + 1} starts ${cores + 1} worker threads on a machine with ${cores} core(s)`);
    expect(run(['--quiet']).err).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });
});
