import { describe, expect, it } from 'vitest';
import { XunshiError, formatError, ERROR_CODES } from '@xunshi/types';

describe('XunshiError', () => {
  it('round-trips through JSON with code and location', () => {
    const e = new XunshiError(ERROR_CODES.RULE_INVALID, 'bad', { file: 'a.yaml', line: 3, column: 5, issues: [{ file: 'a.yaml', line: 3, column: 5, message: 'unknown key' }] });
    const back = XunshiError.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toBeInstanceOf(XunshiError);
    expect(back.code).toBe('XUNSHI_RULE_INVALID');
    expect(back.line).toBe(3);
    expect(formatError(back)).toBe('a.yaml:3:5: unknown key [XUNSHI_RULE_INVALID]');
  });
  it('formats an error without issues', () => {
    expect(formatError(new XunshiError(ERROR_CODES.INPUT_EMPTY, 'empty file', { file: 'x.txt' }))).toBe('x.txt: empty file [XUNSHI_INPUT_EMPTY]');
  });
});
