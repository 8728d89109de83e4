import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The global setup (test/support/scratch-tmp.ts) gives the run one scratch folder, removed at its end.
describe('the test run keeps its temporary files in one scratch folder', () => {
  const scratch = process.env.XUNSHI_TEST_SCRATCH;

  it('the worker sees the scratch folder as its temporary folder', () => {
    expect(scratch, 'vitest.config.ts must name test/support/scratch-tmp.ts as globalSetup').toBeTruthy();
    expect(basename(scratch!)).toMatch(/^xunshi-test-run-/);
    expect(tmpdir()).toBe(scratch);
    expect(dirname(mkdtempSync(join(tmpdir(), 'xunshi-probe-')))).toBe(scratch);
  });

  it('a process a test starts inherits it', () => {
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });
    expect(child).toBe(scratch);
  });
});
