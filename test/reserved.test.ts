import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_DIR, SHARED_DIR, hasShared } from './support/shared.js';

// The project holds none of the real reports kept for independent measurement (issue: accuracy on real reports).
describe('reserved texts', () => {
  const tool = hasShared('tools/check-reserved.mjs');
  it.skipIf(!tool)('no file of the project holds a reserved report (skipped, not passed, when ../shared is absent)', () => {
    const r = spawnSync(process.execPath, [`${SHARED_DIR}tools/check-reserved.mjs`, 'corpus', 'rules', 'test', 'packages', 'docs', 'scripts', 'bench', 'README.md'], { cwd: REPO_DIR, encoding: 'utf8' });
    expect(r.stderr + r.stdout).toMatch(/no reserved text/);
    expect(r.status).toBe(0);
  });
});
