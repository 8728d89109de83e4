import type { ErrorLocation, XunshiError } from '@xunshi/types';

/** Format an error location the way compilers do: `file:line:col`. */
export function formatLocation(loc: ErrorLocation): string {
  if (!loc.file) return '';
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  return s;
}

/** Render an error the CLI way: one `path:line:col: message [code]` line per issue. */
export function formatError(err: XunshiError): string {
  const lines: string[] = [];
  if (err.issues.length === 0) {
    const loc = formatLocation(err);
    lines.push(`${loc ? loc + ': ' : ''}${err.message} [${err.code}]`);
  } else {
    for (const issue of err.issues) {
      const loc = formatLocation(issue);
      lines.push(`${loc ? loc + ': ' : ''}${issue.message} [${err.code}]`);
    }
  }
  return lines.join('\n');
}
