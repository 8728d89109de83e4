import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

// Standard output on a full device (`> /dev/full`): a clear error and exit 1, not a stack trace (issue 11, defect 1).
const haveFull = existsSync('/dev/full');
if (!haveFull) console.warn('SKIPPED: /dev/full is absent, so the full-standard-output test is skipped (not passed).');

describe('xunshi analyze with standard output on a full device', () => {
  it.skipIf(!haveFull).each([
    ['one job', ['corpus/tuning/feedback-02.txt', '--format', 'json']],
    ['a worker pool (no worker is terminated inside the segmenter)', ['corpus/tuning', '--format', 'jsonl', '--jobs', '2']],
  ])('says "cannot write output" with its code and exits 1 (%s)', (_name, args) => {
    const out = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [join(REPO_DIR, 'packages/xunshi/bin/xunshi.js'), 'analyze', ...args], {
        cwd: REPO_DIR,
        stdio: ['ignore', out, 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr).toMatch(/cannot write output: no space left on device \(ENOSPC\) \[XUNSHI_OUTPUT_FAILED\]/);
      expect(r.stderr).not.toMatch(/Unhandled|at writeSync|node:events|Napi::Error/);
      expect(r.status).toBe(1);
    } finally {
      closeSync(out);
    }
  });
});

// A reader that goes away (`| head -c1`) during the last write: exit 141 as for any SIGPIPE, never 0 (the output was cut
// off) and never a stack trace (the write's error arriving after the batch had returned).
describe('xunshi analyze whose reader goes away', () => {
  it.each([
    ['one report written at once', 'corpus/tuning/analysis-01.txt --format json'],
    ['reports written one by one', 'corpus/tuning/analysis-01.txt corpus/tuning/feedback-02.txt --format jsonl --jobs 1'],
  ])('exits 141 without a trace (%s)', (_name, args) => {
    const bin = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
    for (let round = 0; round < 4; round++) {
      const r = spawnSync('bash', ['-c', `t=$(mktemp); "${process.execPath}" "${bin}" analyze ${args} 2>"$t" | head -c1 >/dev/null; s=\${PIPESTATUS[0]}; cat "$t" >&2; rm -f "$t"; exit $s`], { cwd: REPO_DIR, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).not.toMatch(/Unhandled|node:events|at /);
      expect(r.status, `round ${round}`).toBe(141);
    }
  });
});
