/** Stable error codes; they survive crossing a worker thread. */
export const ERROR_CODES = {
  RULE_INVALID: 'XUNSHI_RULE_INVALID',
  RULE_EXAMPLE_FAILED: 'XUNSHI_RULE_EXAMPLE_FAILED',
  INPUT_UNREADABLE: 'XUNSHI_INPUT_UNREADABLE',
  INPUT_EMPTY: 'XUNSHI_INPUT_EMPTY',
  INPUT_BINARY: 'XUNSHI_INPUT_BINARY',
  INPUT_UNDECODABLE: 'XUNSHI_INPUT_UNDECODABLE',
  INPUT_UNSUPPORTED: 'XUNSHI_INPUT_UNSUPPORTED',
  /** A path that is not a regular file (a FIFO, a character or block device, a socket): never opened for reading. */
  INPUT_NOT_REGULAR: 'XUNSHI_INPUT_NOT_REGULAR',
  /** A container (docx zip, pdf) whose structure is broken. */
  INPUT_CORRUPT: 'XUNSHI_INPUT_CORRUPT',
  /** A zip or pdf that ends early (no end-of-central-directory record, cut-off data). */
  INPUT_TRUNCATED: 'XUNSHI_INPUT_TRUNCATED',
  /** A password-protected or encrypted document. */
  INPUT_ENCRYPTED: 'XUNSHI_INPUT_ENCRYPTED',
  /**
   * The input is larger than the size limit (`--max-size`, option `maxSize`), or decompressing it would pass the
   * decompression limit (a zip bomb, or a document far larger than any report).
   */
  INPUT_TOO_LARGE: 'XUNSHI_INPUT_TOO_LARGE',
  /** Analysing the input took longer than the time budget (`--timeout`, option `timeout`): it was stopped. */
  INPUT_TIMEOUT: 'XUNSHI_INPUT_TIMEOUT',
  /** A document with no extractable text (a scanned PDF without a text layer). */
  INPUT_NO_TEXT: 'XUNSHI_INPUT_NO_TEXT',
  /** The output could not be written (a full disk, a read-only or vanished folder, no permission). */
  OUTPUT_FAILED: 'XUNSHI_OUTPUT_FAILED',
  USAGE: 'XUNSHI_USAGE',
  GOLD_INVALID: 'XUNSHI_GOLD_INVALID',
  INTERNAL: 'XUNSHI_INTERNAL',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Where a problem is: a file and, where it applies, a 1-based line and column. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

/** One problem inside an error (for example one of several bad rule files). */
export interface ErrorIssue extends ErrorLocation {
  message: string;
}

/** Plain-object form of an error, safe to post between threads. */
export interface SerializedError extends ErrorLocation {
  name: 'XunshiError';
  code: ErrorCode;
  message: string;
  issues: ErrorIssue[];
}

/** The one error class of xunshi: a stable `code`, an optional location and a list of issues. */
export class XunshiError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly issues: ErrorIssue[];

  constructor(code: ErrorCode, message: string, options: ErrorLocation & { issues?: ErrorIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XunshiError';
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
    this.issues = options.issues ?? [];
  }

  /** Plain object for `postMessage` and JSON. */
  toJSON(): SerializedError {
    const out: SerializedError = { name: 'XunshiError', code: this.code, message: this.message, issues: this.issues };
    if (this.file !== undefined) out.file = this.file;
    if (this.line !== undefined) out.line = this.line;
    if (this.column !== undefined) out.column = this.column;
    return out;
  }

  /** Rebuild an error sent across a thread boundary. */
  static fromJSON(data: SerializedError): XunshiError {
    const loc: ErrorLocation & { issues: ErrorIssue[] } = { issues: data.issues ?? [] };
    if (data.file !== undefined) loc.file = data.file;
    if (data.line !== undefined) loc.line = data.line;
    if (data.column !== undefined) loc.column = data.column;
    return new XunshiError(data.code, data.message, loc);
  }
}
