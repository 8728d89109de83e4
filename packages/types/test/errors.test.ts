import { describe, expect, it } from 'vitest';
import { XunshiError, ERROR_CODES } from '@xunshi/types';

describe('XunshiError', () => {
  it('round-trips through JSON with code, location and issues', () => {
    const e = new XunshiError(ERROR_CODES.RULE_INVALID, 'bad', { file: 'a.yaml', line: 3, column: 5, issues: [{ file: 'a.yaml', line: 3, column: 5, message: 'unknown key' }] });
    const back = XunshiError.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toBeInstanceOf(XunshiError);
    expect(back.code).toBe('XUNSHI_RULE_INVALID');
    expect(back.line).toBe(3);
    expect(back.column).toBe(5);
    expect(back.issues).toEqual([{ file: 'a.yaml', line: 3, column: 5, message: 'unknown key' }]);
  });
});
