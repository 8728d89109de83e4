import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { expectRuleLoadError } from './load-error.js';

function folderWithModel(model: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-category-model-'));
  for (const f of ['taxonomy.yaml', 'scoring.yaml']) cpSync(join(getDefaultRulesDir(), f), join(dir, f));
  writeFileSync(join(dir, 'category-model.json'), model);
  return dir;
}

const issuesOf = (dir: string): string[] => expectRuleLoadError([dir]).issues.map((i) => `${i.line}:${i.column} ${i.message}`);

describe('category-model.json', () => {
  it('is loaded with the shipped rules', () => {
    const rs = loadRuleSet({ dirs: [getDefaultRulesDir()] });
    expect(rs.categoryModel?.weights.bias).toBeDefined();
    expect(typeof rs.categoryModel?.threshold).toBe('number');
  });
  it('loads a valid model, and changes the ruleset hash', () => {
    const dir = folderWithModel('{"threshold": 0, "weights": {\n  "bias": -1,\n  "rule:x": 2.5\n}}\n');
    const rs = loadRuleSet({ dirs: [dir] });
    expect(rs.categoryModel).toEqual({ threshold: 0, weights: { bias: -1, 'rule:x': 2.5 } });
    writeFileSync(join(dir, 'category-model.json'), '{"threshold": 0, "weights": {"bias": -2}}\n');
    expect(loadRuleSet({ dirs: [dir] }).hash).not.toBe(rs.hash);
  });
  it('reports a weight that is not a number, a missing threshold and a missing bias with their positions', () => {
    const issues = issuesOf(folderWithModel('{"weights": {\n  "rule:x": {"problem": 1}\n}}\n'));
    expect(issues.some((m) => /^2:\d+ .*number/.test(m))).toBe(true);
    expect(issues.some((m) => m.includes('missing key "threshold"'))).toBe(true);
    expect(issues.some((m) => m.includes('missing key "bias"'))).toBe(true);
  });
  it('reports a JSON syntax error with its line and column', () => {
    const issues = issuesOf(folderWithModel('{"threshold": 0, "weights": {\n  "bias": 1,,\n}}\n'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^2:\d+ JSON: /);
  });
});
