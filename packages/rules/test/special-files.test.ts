import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
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
  it('a folder or rule file that links reach by several paths is read once: no walk per path (2^depth), no rule twice', () => {
    const dir = folder();
    const rule = 'rules:\n  - id: x\n    kind: terms\n    category: conduct.formalism\n    terms: [以文件落实文件]\n    examples: { match: [以文件落实文件], noMatch: [落实] }\n';
    mkdirSync(join(dir, 'categories', 'conduct'), { recursive: true });
    writeFileSync(join(dir, 'categories', 'conduct', 'a.yaml'), rule);
    symlinkSync('a.yaml', join(dir, 'categories', 'conduct', 'b.yaml'));
    // 30 levels, each folder linking twice to the next: 2^30 paths to the last one.
    const chain = mkdtempSync(join(tmpdir(), 'xunshi-rules-dag-'));
    for (let i = 0; i <= 30; i++) mkdirSync(join(chain, `L${i}`));
    for (let i = 0; i < 30; i++) for (const n of ['a', 'b']) symlinkSync(`../L${i + 1}`, join(chain, `L${i}`, n));
    symlinkSync(join(chain, 'L0'), join(dir, 'categories', 'chain'));
    const set = loadRuleSet({ dirs: [dir] });
    expect(set.rules.map((r) => r.id)).toEqual(['conduct.a.x']);
  });
});
