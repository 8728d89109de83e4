import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

// scripts/paired-builds.mjs: two builds scored on the same gold, the difference with paired intervals. Compared with
// itself (this checkout as the other build) on the project's own sample gold, every difference is zero.
const run = (...args: string[]) => spawnSync(process.execPath, ['scripts/paired-builds.mjs', ...args], { cwd: REPO_DIR, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });

describe('scripts/paired-builds.mjs', () => {
  it('scores both builds with their figures per kind and gives a zero difference for the same build', () => {
    const r = run('.', '--gold', 'corpus/tuning');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const headlines = r.stdout.split('\n').filter((l) => /^\S.*: category micro-F1 \d/.test(l));
    expect(headlines).toHaveLength(2);
    expect(headlines[0]!.replace(/^[^:]*:/, '')).toBe(headlines[1]!.replace(/^[^:]*:/, ''));
    expect(r.stdout).toMatch(/^ {2}feedback +category micro-F1 /m);
    expect(r.stdout).toContain('this build minus the other, with 95% paired intervals over documents');
    expect(r.stdout).toContain('category +0.000 (+0.000 to +0.000)  root cause +0.000 (+0.000 to +0.000)  function +0.000 (+0.000 to +0.000)');
  });

  it('says what is missing: the arguments, or the other checkout\'s build', () => {
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: node scripts/paired-builds.mjs OTHER_CHECKOUT --gold DIR');
    const unbuilt = run('/nonexistent-checkout', '--gold', 'corpus/tuning');
    expect(unbuilt.status).toBe(2);
    expect(unbuilt.stderr).toContain('/nonexistent-checkout/packages/xunshi/dist/index.js is missing: build that checkout first');
  });
});
