import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir } from '@xunshi/rules';
import { expectRuleLoadError } from './load-error.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-special-rules-'));
  for (const f of ['taxonomy.yaml', 'scoring.yaml']) cpSync(join(getDefaultRulesDir(), f), join(dir, f));
  return dir;
}

describe('special files in a rules folder', () => {
  it('a FIFO named like a rule file is an error naming it, not a hang', () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'x.yaml')]);
    const err = expectRuleLoadError([dir]);
    expect(err.issues.map((i) => [i.file, i.message])).toContainEqual([join(dir, 'x.yaml'), 'not a regular file (a FIFO, device or socket in a rules folder is never read)']);
  });
  it('a link to a device in lexicon/ is an error naming it, not an endless read', () => {
    const dir = folder();
    mkdirSync(join(dir, 'lexicon'));
    symlinkSync('/dev/zero', join(dir, 'lexicon', 'zero.txt'));
    const err = expectRuleLoadError([dir]);
    expect(err.issues.some((i) => i.file === join(dir, 'lexicon', 'zero.txt') && /not a regular file/.test(i.message))).toBe(true);
  });
});
