import { expect } from 'vitest';
import { XunshiError } from '@xunshi/types';
import { loadRuleSet } from '@xunshi/rules';

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
