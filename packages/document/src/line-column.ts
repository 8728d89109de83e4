import { ERROR_CODES, XunshiError } from '@xunshi/types';

/** A 1-based line and column; the column counts UTF-16 code units. */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * 1-based line and column of a UTF-16 `offset` in `text` (`\r\n`, `\n` and `\r` end lines;
 * column = UTF-16 units since the line start + 1); `offset` may equal `text.length`.
 */
export function lineColumn(text: string, offset: number): LineColumn {
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) {
    throw new XunshiError(
      ERROR_CODES.USAGE,
      `lineColumn: offset ${String(offset)} is outside the text (0..${text.length})`,
    );
  }
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      // A CRLF pair is one break: the line starts after the LF.
      if (i + 1 < text.length && text.charCodeAt(i + 1) === 10) continue;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
