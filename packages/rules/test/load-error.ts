import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { XunshiError } from '@xunshi/types';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';

/** A rule file with one terms rule (conduct.formalism.paper) and its examples. */
export const GOOD_RULE = `rules:
  - id: paper
    kind: terms
    category: conduct.formalism
    terms: [以文件落实文件]
    examples:
      match: [存在以文件落实文件现象]
      noMatch: [严格执行制度]
`;

/** A rules folder in a temporary directory: the shipped taxonomy and scoring, and `files` (paths relative to it). */
export function scratchRules(files: Record<string, string | Buffer>, prefix = 'xunshi-rules-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
  cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Load `dirs`, expect the load to fail with `XUNSHI_RULE_INVALID`, and return that error (for its issues). */
export function expectRuleLoadError(dirs: string[]): XunshiError {
  let err: unknown;
  try {
    loadRuleSet({ dirs });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(XunshiError);
  expect((err as XunshiError).code).toBe('XUNSHI_RULE_INVALID');
  return err as XunshiError;
}
