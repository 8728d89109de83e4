import type { ErrorLocation, XunshiError } from '@xunshi/types';
import { escapeForTerminal } from '@xunshi/report/core';

/** Format an error location the way compilers do: `file:line:col`. */
export function formatLocation(loc: ErrorLocation): string {
  if (!loc.file) return '';
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  return s;
}

/**
 * Render an error the CLI way: one `path:line:col: message [code]` line per issue, for standard error. File names and
 * messages can hold anything a file name can: their control characters are escaped ({@link escapeForTerminal}), so a
 * name can neither drive the terminal nor make up a line of its own.
 */
export function formatError(err: XunshiError): string {
  const lines: string[] = [];
  if (err.issues.length === 0) {
    const loc = formatLocation(err);
    lines.push(escapeForTerminal(`${loc ? loc + ': ' : ''}${err.message} [${err.code}]`));
  } else {
    for (const issue of err.issues) {
      const loc = formatLocation(issue);
      lines.push(escapeForTerminal(`${loc ? loc + ': ' : ''}${issue.message} [${err.code}]`));
    }
  }
  return lines.join('\n');
}
