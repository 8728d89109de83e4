import { describe, expect, it } from 'vitest';
import { XunshiError, ERROR_CODES } from '@xunshi/types';
import { formatError } from '../src/format-error.js';

describe('formatError', () => {
  it('prints one file:line:col: message [code] line per issue', () => {
    const e = new XunshiError(ERROR_CODES.RULE_INVALID, 'bad', {
      issues: [
        { file: 'a.yaml', line: 3, column: 5, message: 'unknown key' },
        { file: 'b.txt', line: 2, column: 1, message: 'bad line' },
      ],
    });
    expect(formatError(XunshiError.fromJSON(JSON.parse(JSON.stringify(e))))).toBe('a.yaml:3:5: unknown key [XUNSHI_RULE_INVALID]\nb.txt:2:1: bad line [XUNSHI_RULE_INVALID]');
  });
  it('formats an error without issues', () => {
    expect(formatError(new XunshiError(ERROR_CODES.INPUT_EMPTY, 'empty file', { file: 'x.txt' }))).toBe('x.txt: empty file [XUNSHI_INPUT_EMPTY]');
  });
});
