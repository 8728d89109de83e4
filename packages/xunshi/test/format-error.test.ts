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
  it('escapes control characters of file names and messages: one line, nothing the terminal acts on', () => {
    const e = new XunshiError(ERROR_CODES.INPUT_EMPTY, 'empty \u001b]52;c;ZWNobw==\u0007', { file: 'a\u001b[2J\nxunshi: fake\r.txt' });
    expect(formatError(e)).toBe('a\\x1b[2J\\nxunshi: fake\\r.txt: empty \\x1b]52;c;ZWNobw==\\x07 [XUNSHI_INPUT_EMPTY]');
    const issues = new XunshiError(ERROR_CODES.RULE_INVALID, 'bad', { issues: [{ file: 'r\u202e.yaml', line: 1, column: 2, message: 'key \u009b31m' }] });
    expect(formatError(issues)).toBe('r\\u202e.yaml:1:2: key \\x9b31m [XUNSHI_RULE_INVALID]');
  });
  it('formats an error without issues', () => {
    expect(formatError(new XunshiError(ERROR_CODES.INPUT_EMPTY, 'empty file', { file: 'x.txt' }))).toBe('x.txt: empty file [XUNSHI_INPUT_EMPTY]');
  });
});
