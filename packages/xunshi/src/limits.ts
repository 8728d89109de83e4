import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { NativeGuard } from '@xunshi/tokenizer';

/**
 * Default largest input, in bytes (20 MiB). The largest real report of the corpora is 33 KB of text and a long one runs
 * to a few hundred KB; a Word file or a PDF with its fonts is a few MB. 20 MiB of text takes 20–40 s and ~1–2 GiB to
 * analyse, within the default time budget; a 100 MB file took 154 s and 5 GiB before failing. Raise it for a PDF with
 * many pictures (`--max-size`, option `maxSize`).
 */
export const DEFAULT_MAX_SIZE = 20 * 1024 * 1024;

/** Default time budget of one input, in seconds: generous (a 20 MiB text takes well under a minute). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/**
 * Parse a size: a whole number of bytes, or one with a unit `k`/`K`/`KB`/`KiB` (×1024), `M`/`MB`/`MiB` (×1024²) or
 * `G`/`GB`/`GiB` (×1024³); undefined when it is not one.
 */
export function parseSize(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i.exec(raw);
  if (!m) return undefined;
  const scale = m[2] ? 1024 ** ('kmg'.indexOf(m[2].toLowerCase()) + 1) : 1;
  const bytes = Math.floor(Number(m[1]) * scale);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** A byte count for messages: `20,971,520 bytes (20 MiB)`. */
export function formatSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = '';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return unit ? `${bytes.toLocaleString('en-US')} bytes (${Number(value.toFixed(1))} ${unit})` : `${bytes.toLocaleString('en-US')} bytes`;
}

/**
 * The error of an input over the size limit; `partly` when only its first `size` bytes were read (a stream, whose size
 * is not known).
 */
export function createTooLargeError(size: number, maxSize: number, path: string | undefined, what = 'the input', partly = false): XunshiError {
  return new XunshiError(
    ERROR_CODES.INPUT_TOO_LARGE,
    `${what} is ${partly ? `more than the size limit of ${formatSize(maxSize)} (reading stopped after ${formatSize(size)})` : `${formatSize(size)}, more than the size limit of ${formatSize(maxSize)}`}; raise it with --max-size (option maxSize) for a report that large`,
    path === undefined ? {} : { file: path },
  );
}

/**
 * The error of an input whose analysis ran past its time budget: `seconds`, and `granted` more for the pages it read
 * by OCR (see {@link TimeBudget.grant}).
 */
export function createTimeoutError(seconds: number, path: string | undefined, how: string, granted = 0): XunshiError {
  const budget = granted > 0 ? `${seconds + granted} s (${seconds} s, and ${granted} s for its pages read by OCR)` : `${seconds} s`;
  return new XunshiError(
    ERROR_CODES.INPUT_TIMEOUT,
    `analysis took longer than the time budget of ${budget} and was stopped (${how}); raise it with --timeout (option timeout)`,
    path === undefined ? {} : { file: path },
  );
}

/**
 * Slots of a task's control block, an Int32Array over a SharedArrayBuffer shared by the thread that analyses and the
 * batch's watchdog: the analysing thread sets STARTED when it begins and IN_NATIVE while it is inside nodejieba; the
 * watchdog sets STOP to ask it to give up at its next check. GRANTED holds the seconds the analysing thread added to the
 * budget (a page read by OCR adds `OCR_PAGE_SECONDS` of the document package), which the watchdog adds to its own limit.
 */
export const CONTROL = { STARTED: 0, STOP: 1, IN_NATIVE: 2, GRANTED: 3 } as const;
const CONTROL_SLOTS = 4;

/**
 * Slots of a pool's control block (in every worker's workerData): LOADING counts the workers inside nodejieba's
 * dictionary load; CLOSING is set before the pool is destroyed, and a worker that sees it does not start a load.
 */
export const POOL_CONTROL = { LOADING: 0, CLOSING: 1 } as const;

/** A new pool control block. */
export function createPoolControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** A new control block (shared memory, so it can be posted to a worker thread and seen from both sides). */
export function createControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
}

/** The most a time budget grows by (pages read by OCR), as a multiple of the budget itself: 120 s grows to 1,320 s. */
export const MAX_GRANT_FACTOR = 10;

/**
 * The time budget of one analysis, checked by the analysing thread itself: between phases (read, parse, segment, tag,
 * facts, render) and before every call into nodejieba, it throws `XUNSHI_INPUT_TIMEOUT` once the budget is spent or
 * the watchdog set STOP. It is also the guard around nodejieba: a thread is never terminated while IN_NATIVE is set.
 */
export class TimeBudget implements NativeGuard {
  private deadline: number;

  /** `seconds` 0 or Infinity: no deadline (STOP is still obeyed); `ownDeadline` false: only STOP counts (tests). */
  constructor(
    readonly seconds: number,
    private readonly path: string | undefined,
    private readonly control: Int32Array = createControl(),
    ownDeadline = true,
  ) {
    this.deadline = ownDeadline && seconds > 0 && Number.isFinite(seconds) ? performance.now() + seconds * 1000 : Infinity;
    Atomics.store(control, CONTROL.STARTED, 1);
  }

  /** Throw `XUNSHI_INPUT_TIMEOUT` when the budget is spent or the analysis was asked to stop. */
  check(): void {
    if (Atomics.load(this.control, CONTROL.STOP) !== 0) throw createTimeoutError(this.seconds, this.path, 'stopped by the batch', this.granted);
    if (performance.now() > this.deadline) throw createTimeoutError(this.seconds, this.path, 'given up between two steps', this.granted);
  }

  /**
   * Add `seconds` to the budget (a page about to be read by OCR: a long scan is not stopped for its length alone), seen
   * by the batch's watchdog through GRANTED; in all at most {@link MAX_GRANT_FACTOR} times the budget itself, so that
   * one input of hundreds of crafted pages cannot hold a worker for hours. No budget (0) stays none.
   */
  grant(seconds: number): void {
    if (!(this.seconds > 0 && Number.isFinite(this.seconds) && seconds > 0)) return;
    const add = Math.min(Math.round(seconds), Math.floor(this.seconds * MAX_GRANT_FACTOR) - this.granted);
    if (add <= 0) return;
    this.deadline += add * 1000;
    Atomics.add(this.control, CONTROL.GRANTED, add);
  }

  /** Seconds granted so far. */
  get granted(): number {
    return Atomics.load(this.control, CONTROL.GRANTED);
  }

  enter(): void {
    // Set before STOP is read (sequentially consistent atomics): the watchdog either sees IN_NATIVE and waits, or its
    // STOP is seen here and nodejieba is not entered.
    Atomics.store(this.control, CONTROL.IN_NATIVE, 1);
    try {
      this.check();
    } catch (e) {
      Atomics.store(this.control, CONTROL.IN_NATIVE, 0);
      throw e;
    }
  }

  exit(): void {
    Atomics.store(this.control, CONTROL.IN_NATIVE, 0);
  }
}
