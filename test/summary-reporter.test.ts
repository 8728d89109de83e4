// The closing line CI reads counts a test file that fails while it is collected, or in a hook (it ran no test, and the
// line said "0 failed" while the run failed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

describe('the summary reporter', () => {
  it('counts a test file that fails outside its tests as a failed test, and names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-reporter-'));
    writeFileSync(join(dir, 'broken.test.ts'), "import { it } from 'vitest';\nthrow new Error('broken at collection');\nit('never runs', () => {});\n");
    // A hook that throws skips its tests: the file fails, with no test failed.
    writeFileSync(join(dir, 'hook.test.ts'), "import { beforeAll, describe, it } from 'vitest';\ndescribe('d', () => {\n  beforeAll(() => { throw new Error('broken in a hook'); });\n  it('skipped', () => {});\n});\n");
    writeFileSync(join(dir, 'fine.test.ts'), "import { expect, it } from 'vitest';\nit('runs', () => expect(1).toBe(1));\n");
    const r = spawnSync(join(REPO_DIR, 'node_modules/.bin/vitest'), ['run', '--root', dir, `--reporter=${join(REPO_DIR, 'test/support/summary-reporter.ts')}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('\n2 test file(s) failed outside their tests (errors above): broken.test.ts, hook.test.ts\nTests: 1 passed, 2 failed, 1 skipped\n');
  });
});
