import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_DIR, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('xunshi CLI', () => {
  it('analyze prints a summary table with Chinese and English labels', () => {
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'summary']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('问题 Problem');
    expect(r.stdout).toContain('贯彻落实决策部署 Carrying out decisions');
    expect(r.stdout).toMatch(/evidence phrase/);
  });

  it('analyze --format json prints one Report with evidence', () => {
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.passages.some((p: { function: string }) => p.function === 'problem')).toBe(true);
  });

  it('rules test runs every example and exits 0', () => {
    const r = run(['rules', 'test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ rules, \d+ examples: \d+ passed, 0 failed$/m);
  });

  it('a bad rules folder is reported with file:line:col and exit code 2, before any input is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-cli-rules-'));
    cpSync(join(REPO_DIR, 'rules'), dir, { recursive: true });
    writeFileSync(join(dir, 'categories/conduct/broken.yaml'), 'rules:\n  - id: x\n    kind: terms\n    category: conduct.formalism\n    colour: red\n    terms: [a]\n    examples: {match: [a], noMatch: [b]}\n');
    const r = run(['analyze', '--rules', dir, '--format', 'jsonl', 'corpus/tuning/feedback-02.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:5:5: unknown key "colour" \[XUNSHI_RULE_INVALID\]/);
    expect(r.stdout).toBe('');
  });

  it('eval scores a gold folder with the protocol figures and lists the worst units', () => {
    const r = run(['eval', '--gold', 'corpus/tuning', '--format', 'json', '--worst', '5']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.documents).toBeGreaterThanOrEqual(20);
    expect(Object.keys(result.overall.categories.labels)).toEqual(['political', 'organizational', 'conduct', 'discipline']);
    expect(result.overall.functions.accuracy).toBeGreaterThan(0.5);
    expect(result.worst).toHaveLength(5);
    expect(result.worst[0]).toHaveProperty('rules');
    expect(Object.keys(result.perKind)).toEqual(expect.arrayContaining(['analysis', 'feedback', 'negative', 'rectification', 'traditional']));
    const text = run(['eval', '--gold', 'corpus/tuning', '--worst', '2']);
    expect(text.stdout).toContain('category micro-F1');
    expect(text.stdout).toContain('worst units (gold → system)');
  });

  it('an unknown option is a usage error (exit 2)', () => {
    expect(run(['analyze', '--nonsense', 'x.txt']).code).toBe(2);
  });
});
