import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: one scratch folder per test run, set as TMPDIR before any test file runs, so every
 * `mkdtempSync(join(tmpdir(), …))` of a test, and every CLI, LibreOffice or browser a test starts, writes under it;
 * the teardown removes it whole. Tests used to leave about 100 folders in the system's temporary folder per run.
 * The variable is inherited by the forked test workers (started after this setup) and by their children.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'xunshi-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  process.env.XUNSHI_TEST_SCRATCH = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      process.stderr.write(`xunshi tests: could not remove the scratch folder ${root}: ${(e as Error).message}\n`);
    }
  };
}
