import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { expectRuleLoadError } from './load-error.js';

function folderWithModel(model: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-model-'));
  for (const f of ['taxonomy.yaml', 'scoring.yaml']) cpSync(join(getDefaultRulesDir(), f), join(dir, f));
  writeFileSync(join(dir, 'function-model.json'), model);
  return dir;
}

function issuesOf(dir: string): string[] {
  return expectRuleLoadError([dir]).issues.map((i) => `${i.line}:${i.column} ${i.message}`);
}

describe('function-model.json', () => {
  it('is loaded with the shipped rules', () => {
    const rs = loadRuleSet({ dirs: [getDefaultRulesDir()] });
    expect(rs.functionModel?.weights.bias).toBeDefined();
  });
  it('loads a valid model', () => {
    const rs = loadRuleSet({ dirs: [folderWithModel('{"weights": {\n  "bias": {"context": 1},\n  "word:要求": {"measure": 2.5, "context": -1}\n}}\n')] });
    expect(rs.functionModel).toEqual({ weights: { bias: { context: 1 }, 'word:要求': { measure: 2.5, context: -1 } } });
  });
  it('reports an unknown function and a missing bias with their positions', () => {
    const issues = issuesOf(folderWithModel('{"weights": {\n  "word:要求": {"measures": 2.5}\n}}\n'));
    expect(issues).toContain('2:15 unknown key "measures"');
    expect(issues.some((m) => m.includes('missing key "bias"'))).toBe(true);
  });
  it('reports a JSON syntax error with its line and column', () => {
    const issues = issuesOf(folderWithModel('{"weights": {\n  "bias": {"context": 1},,\n}}\n'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^2:26 JSON: /);
  });
  it('reads a model file with a BOM (as every file of a rules folder may have one), and places its errors as without', () => {
    const rs = loadRuleSet({ dirs: [folderWithModel('\uFEFF{"weights": {\n  "bias": {"context": 1}\n}}\n')] });
    expect(rs.functionModel).toEqual({ weights: { bias: { context: 1 } } });
    expect(issuesOf(folderWithModel('\uFEFF{"weights": {\n  "bias": {"context": 1},,\n}}\n'))[0]).toMatch(/^2:26 JSON: /);
  });
});
