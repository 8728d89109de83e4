// A folder a pattern's crawl cannot list (permission denied) was dropped without a word: `reports/*/*.txt` over a
// locked region folder analysed the others and said nothing of it, where a walk of `reports` gives it an error entry.
// The crawl's readdir is made to fail here (as root a chmod does not keep anyone out).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readdir = (path: string, options: unknown, callback: (e: NodeJS.ErrnoException | null, entries?: unknown) => void): void => {
    if (/[/\\]locked[/\\]?$/.test(String(path))) {
      callback(Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES', path: String(path) }));
      return;
    }
    (real.readdir as unknown as (p: string, o: unknown, c: typeof callback) => void)(path, options, callback);
  };
  return { ...real, readdir };
});

const { expandInputs } = await import('../src/inputs.js');

const root = mkdtempSync(join(tmpdir(), 'xunshi-pattern-locked-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const f of ['reports/a/one.txt', 'reports/locked/two.txt', 'reports/z/three.txt']) {
  mkdirSync(join(root, f, '..'), { recursive: true });
  writeFileSync(join(root, f), 'text');
}

describe('a folder a pattern cannot list', () => {
  it('is an error entry in its place, as in a walk; the other matches are kept', async () => {
    for (const pattern of ['reports/*/*.txt', 'reports/**/*.txt', join(root, 'reports/*/*.txt')]) {
      const r = await expandInputs([pattern], { cwd: root });
      const prefix = pattern.startsWith('/') ? `${root}/` : '';
      expect(r.inputs.map((i) => [i.path, i.error?.code]), pattern).toEqual([
        [`${prefix}reports/a/one.txt`, undefined],
        [`${prefix}reports/locked`, ERROR_CODES.INPUT_UNREADABLE],
        [`${prefix}reports/z/three.txt`, undefined],
      ]);
      expect(r.inputs[1]!.error!.message).toBe('cannot read input: permission denied (EACCES)');
      expect(r.duplicates).toEqual([]);
    }
    // the pattern's own folder locked: its error entry, not 'no file matches this pattern'
    const own = await expandInputs(['reports/locked/*.txt'], { cwd: root });
    expect(own.inputs.map((i) => [i.path, i.error?.message])).toEqual([['reports/locked', 'cannot read input: permission denied (EACCES)']]);
    // a base folder that does not exist is still no match
    expect((await expandInputs(['nowhere/*.txt'], { cwd: root })).inputs.map((i) => i.error?.message)).toEqual(['no file matches this pattern']);
  });
});
