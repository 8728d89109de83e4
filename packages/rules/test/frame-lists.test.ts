import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { expectRuleLoadError } from './load-error.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-frame-'));
  for (const f of ['taxonomy.yaml', 'scoring.yaml']) cpSync(join(getDefaultRulesDir(), f), join(dir, f));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const lists = 'lists:\n  weak: [淡薄, 不强]\n  outlook: [宗旨意识, 纪法意识]\n';
const frame = (concepts: string) => `rules:
  - id: outlook
    kind: frame
    rootCause: ideology
    concepts: [${concepts}]
    predicates: ["@weak"]
    within: 6
    examples:
      match: [宗旨意识淡薄]
      noMatch: [增强宗旨意识，防止淡薄]
`;

describe('term lists and frames', () => {
  it('expands @name in a frame\'s concepts and predicates', () => {
    const rs = loadRuleSet({ dirs: [folder({ 'lists/words.yaml': lists, 'root-causes/outlook.yaml': frame('"@outlook", 党性观念') })] });
    const rule = rs.rules.find((r) => r.id === 'outlook.outlook')!;
    expect(rule.kind).toBe('frame');
    expect(rule.first).toEqual(['宗旨意识', '纪法意识', '党性观念']);
    expect(rule.then).toEqual(['淡薄', '不强']);
  });
  it('reports an unknown list at the rule key that names it', () => {
    const err = expectRuleLoadError([folder({ 'lists/words.yaml': lists, 'root-causes/outlook.yaml': frame('"@outlooks"') })]);
    expect(err.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual(['5:15 unknown term list "@outlooks" (lists: @weak, @outlook)']);
  });
  it('validates list files by schema (names, no nested references)', () => {
    expect(expectRuleLoadError([folder({ 'lists/words.yaml': 'lists:\n  Weak: [淡薄]\n  ok: ["@weak"]\n' })]).issues.length).toBeGreaterThanOrEqual(2);
  });
});
