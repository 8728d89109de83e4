import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import type { Piscina } from 'piscina';
import { MAX_OCR_THREADS, SNIFF_HEAD_BYTES, sniffFormat } from '@xunshi/document/lean';
import { ERROR_CODES, XunshiError, type SerializedError } from '@xunshi/types';
import type { ErrorEntry } from '@xunshi/types';
import type { Analyzer } from './analyzer.js';
import { pageName, type BatchInput } from './inputs.js';
import { createErrorEntry, toOutputError, type BatchSink } from './output.js';
import { KEPT, mayKeepReport, readRegularFileHead, runAnalysisTask, toInputError, type AnalysisTask, type TaskResult, type TaskSettings } from './task.js';
import type { KeepCheck } from './incremental.js';
import { CONTROL, POOL_CONTROL, createControl, createPoolControl, createTimeoutError } from './limits.js';

/** Options of {@link runBatch}. */
export interface BatchOptions {
  /** Inputs in output order (from `expandInputs`); those with an `error` become error entries without analysis. */
  inputs: readonly BatchInput[];
  settings: TaskSettings;
  /**
   * Most worker threads to use; never more than the inputs to analyse. With 1, the main thread analyses a lone input
   * read as text (text, Markdown, HTML, CSV) or any input when `settings.timeout` is 0; otherwise one worker does, so
   * that the watchdog can stop an input that runs past its budget (see {@link analysesInThread}).
   */
  jobs: number;
  /** The main thread's analyzer (its rules already validated); it analyses when no pool is needed. */
  analyzer: Analyzer;
  sink: BatchSink;
  /** Bytes of standard input, for the input `-`. */
  stdin?: Uint8Array;
  /** Aborting stops dispatching, lets the documents in flight finish (within a grace time), stops the workers and discards temporary output. */
  signal?: AbortSignal;
  /**
   * `--incremental`: for input `index`, the report written before that may be kept instead of analysing the input again
   * (see `mayKeepReport`). Checked in this thread before any worker starts: only the inputs left to analyse get threads.
   */
  keepOf?: (index: number) => KeepCheck | undefined;
  /** Called once per input, in input order, after its result was written; `error` is set for a failed input. */
  onResult?: (input: BatchInput, error?: ErrorEntry & { serialized: SerializedError }) => void;
  /** The worker script (a file URL); default the compiled `worker.js`. Tests give a stand-in. */
  workerFile?: string;
  /**
   * V8 flags set just before a pool starts (never when the main thread analyses). V8's flags are process-wide, so a
   * library leaves this unset; the CLI, which owns its process, passes {@link POOL_V8_FLAGS}.
   */
  v8Flags?: readonly string[];
}

/**
 * V8 flags for a process that runs a pool: TurboFan's cumulative inlining budget at 115 bytes of bytecode instead of 920.
 * Every worker isolate compiles the same hot functions on V8's background threads, and with every core analysing, that
 * compilation competes with the analysis (with `--jobs 1` it runs on an idle core). In `--jobs 2` batches of the bench's
 * 2,000 files (three pairs, alternating): V8's background threads 5.9–6.5 → 3.6–4.2 s of CPU, the workers' own CPU
 * unchanged (18.5–20.3 s), the whole batch 0.91–0.93 of the wall time; the output is the same (only inlining changes).
 */
export const POOL_V8_FLAGS: readonly string[] = ['--max-inlined-bytecode-size-cumulative=115'];

/** Outcome of {@link runBatch}. */
export interface BatchResult {
  /** Inputs with a report (those kept from the run before among them). */
  analysed: number;
  /** Inputs whose report written before was kept (`keepOf`), not analysed again. */
  kept: number;
  failed: number;
  /** True when the signal stopped the batch: the sink was aborted, not finished. */
  aborted: boolean;
  /** Worker threads started (0 when the main thread analysed). */
  threads: number;
}

/** The compiled worker script; from sources (tests), the compiled copy in `dist/` next to them. */
function getWorkerUrl(): string {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../dist/worker.js', here).href : new URL('./worker.js', here).href;
}

/**
 * The worker's Node options: this process's, less a `source` export condition. The worker is the compiled `worker.js`
 * and imports the packages as compiled code; a process started with `--conditions source` (the test runner, which
 * runs the TypeScript sources) would otherwise hand the worker `.ts` files it cannot load.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if ((a === '--conditions' || a === '-C') && execArgv[i + 1] === 'source') i++;
    else if (a !== '--conditions=source' && a !== '-C=source') out.push(a);
  }
  return out;
}

/** Young-generation size of each worker thread's V8 heap, in MiB (semi-spaces of about a third of it). */
const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * Finished documents whose results may wait to be written (in input order) behind one still being analysed, per worker:
 * the other workers keep getting documents meanwhile, and the memory for waiting results stays bounded.
 */
const RESULTS_AHEAD_PER_WORKER = 32;

/** A dispatched document of a pool batch, in input order: running, or finished with its result (or the pool's error). */
interface Pending {
  index: number;
  state: 'running' | 'done' | 'failed';
  promise?: Promise<void>;
  result?: TaskResult;
  error?: unknown;
}

/** How often a document whose worker ended before it began is run again before it is reported as failed. */
const MAX_NOT_STARTED_RETRIES = 3;

/** How long an aborted batch waits for the documents in flight before it terminates the workers. */
const ABORT_GRACE_MS = 10_000;
/** How often the watchdog looks at the documents in flight (time budget, safe moments to terminate a worker). */
const WATCH_INTERVAL_MS = 100;

/**
 * When a worker whose document is past its time budget is terminated: the document's own checks throw at the budget;
 * a worker still busy after a further quarter of the budget (1–10 s) is stuck in code that never returns (a regex, a
 * parser) and is terminated, unless it is inside nodejieba (then at its return).
 */
function hardStopMs(timeoutSeconds: number): number {
  return timeoutSeconds > 0 ? 1000 * (timeoutSeconds + Math.min(10, Math.max(1, timeoutSeconds / 4))) : Infinity;
}

/** One document in a worker: its control block (shared with the worker) and the abort that terminates the worker. */
interface Flight {
  control: Int32Array;
  controller: AbortController;
  /** When the watchdog first saw STARTED (the document left the queue). */
  startedAt?: number;
  /** STOP was set: the worker is terminated at the first moment it is not inside nodejieba. */
  stopping?: boolean;
  /** The watchdog terminated the worker: the rejection is this input's timeout. */
  timedOut?: boolean;
}

/**
 * Analyse every input and write the results to `sink` in input order, whatever order workers finish in. At most
 * `4 × threads` inputs are in flight or waiting to be written, so memory does not grow with the batch.
 */
/**
 * Pages of one document read by OCR at once in a batch of `documents` with `jobs` threads on `cores` cores: the jobs
 * (at most the cores) the batch's documents leave idle, shared between them (at most `MAX_OCR_THREADS`); 1 with
 * one job, or as many documents as jobs.
 */
export function ocrThreadsFor(jobs: number, documents: number, cores: number): number {
  const usable = Math.min(jobs, Math.max(1, cores));
  return Math.max(1, Math.min(MAX_OCR_THREADS, Math.floor(usable / Math.max(1, Math.min(usable, documents)))));
}

/**
 * Formats whose readers are linear in the input and check the time budget between steps: safe in the main thread. A
 * web page with `--ocr` is not: the pictures of a page of scans are decoded there (GIF, WebP, TIFF, HEIC in JavaScript).
 */
const IN_THREAD_FORMATS: ReadonlySet<string> = new Set(['text', 'markdown', 'html', 'csv']);

/**
 * Whether a batch with one job analyses in the main thread: when nothing asks for a hard stop (no time budget), or when
 * its only input to analyse is read as text (text, Markdown, HTML without `--ocr`, CSV; told by its first bytes as the
 * reader tells it), whose every step checks the budget and is linear in the input, and where a worker's start (its imports, rules and dictionary) would cost the one-file start-up most.
 * Anything else runs in a pool of one worker: a reader of a binary format (pdf.js on nested graphics states, a damaged
 * Word or spreadsheet part) may run for minutes in one step, and only a worker can be stopped there — in the main
 * thread it would hold the whole batch, and SIGINT and SIGTERM would wait for it.
 */
function analysesInThread(input: BatchInput | undefined, settings: TaskSettings, stdin: Uint8Array | undefined): boolean {
  if (settings.timeout === 0 || input === undefined) return true;
  if (input.archive || input.pages) return false;
  let head: Uint8Array;
  if (input.absolute === null) head = (stdin ?? new Uint8Array()).subarray(0, SNIFF_HEAD_BYTES);
  else {
    try {
      head = readRegularFileHead(input.raw ?? input.absolute, input.path, SNIFF_HEAD_BYTES);
    } catch {
      // Not a regular file that can be read (gone, a folder, a FIFO, no permission): the analysis names why, at once.
      return true;
    }
  }
  try {
    const format = sniffFormat(head, input.path, settings.formatIn);
    return IN_THREAD_FORMATS.has(format) && !(format === 'html' && settings.ocr);
  } catch {
    // An empty input is an error entry at once; a kind refused by its first bytes may be a damaged container: a worker
    // reads it.
    return head.length === 0;
  }
}

export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const { inputs, sink, signal } = options;
  if (!Number.isInteger(options.jobs) || options.jobs < 1) {
    throw new XunshiError(ERROR_CODES.USAGE, `jobs must be a positive integer, got ${options.jobs}`);
  }
  const createTask = (index: number, control?: Int32Array): AnalysisTask => {
    const input = inputs[index]!;
    const task: AnalysisTask = { path: input.path, absolute: input.absolute };
    if (control) task.control = control;
    if (input.absolute === null) task.bytes = options.stdin ?? new Uint8Array();
    if (input.raw) task.raw = input.raw;
    if (input.archive) task.archive = input.archive;
    if (input.pages) task.pages = input.pages.map((p) => ({ name: pageName(p), path: p.path, absolute: p.absolute!, ...(p.raw ? { raw: p.raw } : {}), ...(p.archive ? { archive: p.archive } : {}) }));
    return task;
  };
  // --incremental: the reports that stay as they are, found before the workers are started (an input is read and hashed
  // here, one at a time), so that threads go only to the inputs left to analyse and a run that keeps every report starts
  // none and loads no dictionary.
  const kept = new Set<number>();
  if (options.keepOf) {
    for (let i = 0, checked = 0; i < inputs.length && !signal?.aborted; i++) {
      const keep = inputs[i]!.error ? undefined : options.keepOf(i);
      if (!keep) continue;
      if (mayKeepReport(createTask(i), keep, options.settings.maxSize)) kept.add(i);
      // Let a pending SIGINT/SIGTERM/SIGHUP handler run now and then.
      if (++checked % 32 === 0) await nextTurn();
    }
  }
  const toAnalyse = inputs.filter((input, i) => !input.error && !kept.has(i)).length;
  // Each worker costs its imports, its rules and a share of the dictionary load (and its own copy of the dictionary,
  // ~170 MB, where nodejieba is not the patched one): never start one that would have nothing to do.
  const threads = Math.min(options.jobs, toAnalyse);
  const inThread = threads === 0 || (threads === 1 && (toAnalyse > 1 ? options.settings.timeout === 0 : analysesInThread(inputs.find((input, i) => !input.error && !kept.has(i)), options.settings, options.stdin)));
  // With --ocr, a document gets the cores the batch leaves idle for its pages (one long scan on two cores: two).
  const settings: TaskSettings = options.settings.ocr ? { ...options.settings, ocrThreads: ocrThreadsFor(options.jobs, toAnalyse, availableParallelism()) } : options.settings;
  const result: BatchResult = { analysed: 0, kept: 0, failed: 0, aborted: false, threads: inThread ? 0 : threads };

  const writeResult = (index: number, r: TaskResult): void => {
    const input = inputs[index]!;
    try {
      if (r.ok) {
        sink.writeReport(index, r.output, r.report, r.stamp);
        result.analysed++;
        if (r.stamp?.kept) result.kept++;
        options.onResult?.(input);
      } else {
        const entry = createErrorEntry(input.path, r.error);
        sink.writeError(entry, index);
        result.failed++;
        options.onResult?.(input, { ...entry, serialized: r.error });
      }
    } catch (e) {
      throw toOutputError(e);
    }
  };

  let pool: Piscina<AnalysisTask, TaskResult> | undefined;
  /** Set when the pool has no worker left and cannot start one (see the pool's 'error' listener). */
  let poolFailure: XunshiError | undefined;
  let destroyed: Promise<void> | undefined;
  // Terminating a worker inside nodejieba aborts the whole process (Napi::Error, SIGABRT): workers say when they load
  // its dictionary (POOL_CONTROL) and each document when it calls it (CONTROL.IN_NATIVE); a worker is terminated only
  // outside, and once CLOSING / STOP are set none goes in again.
  const poolControl = createPoolControl();
  const flights = new Set<Flight>();
  let stopping: Promise<void> | undefined;
  const stopPool = (): Promise<void> => {
    stopping ??= (async () => {
      Atomics.store(poolControl, POOL_CONTROL.CLOSING, 1);
      for (const f of flights) Atomics.store(f.control, CONTROL.STOP, 1);
      const inNative = (): boolean => Atomics.load(poolControl, POOL_CONTROL.LOADING) > 0 || [...flights].some((f) => Atomics.load(f.control, CONTROL.IN_NATIVE) !== 0);
      // nodejieba returns within seconds (its work is linear in the text); the bound only keeps a bug from hanging here.
      for (const t0 = performance.now(); inNative() && performance.now() - t0 < 60_000; ) await new Promise((done) => setTimeout(done, 20));
      destroyed = pool?.destroy();
      await destroyed;
    })();
    return stopping;
  };
  // On an abort the documents in flight (one a worker, and one in the pool's queue) are asked to stop at their next
  // check and may finish before the pool is destroyed. A worker still busy after ABORT_GRACE_MS is terminated all the
  // same (outside nodejieba), which rejects its task.
  let grace: NodeJS.Timeout | undefined;
  let current: Int32Array | undefined;
  const onAbort = (): void => {
    for (const f of flights) Atomics.store(f.control, CONTROL.STOP, 1);
    if (current) Atomics.store(current, CONTROL.STOP, 1);
    grace = setTimeout(() => void stopPool(), ABORT_GRACE_MS);
    grace.unref();
  };
  const hardStop = hardStopMs(settings.timeout);
  let watchdog: NodeJS.Timeout | undefined;
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (inThread) {
      // The dictionary is loaded before the first document's time budget starts, as a worker loads it before its first
      // task: the same input gets the same budget with one job as with several.
      if (toAnalyse > 0) options.analyzer.warmUp();
      for (let i = 0; i < inputs.length; i++) {
        // Let a pending SIGINT/SIGTERM/SIGHUP handler run between two documents.
        await nextTurn();
        if (signal?.aborted) break;
        const input = inputs[i]!;
        // In this thread the budget is checked by the analysis itself (between phases, before each segmenter call):
        // only a worker thread can be stopped in code that never returns.
        current = createControl();
        const r: TaskResult = input.error ? { ok: false, error: input.error.toJSON() } : kept.has(i) ? KEPT : await runAnalysisTask(options.analyzer, createTask(i, current), settings);
        // An abort during the document stopped it (STOP): its result is not one to write.
        if (signal?.aborted) break;
        writeResult(i, r);
      }
    } else {
      // Loaded only when a pool is needed, so that a one-file run does not pay for it at start-up.
      const { Piscina: Pool } = await import('piscina');
      const execArgv = workerExecArgv(process.execArgv);
      for (const flag of options.v8Flags ?? []) setFlagsFromString(flag);
      pool = new Pool<AnalysisTask, TaskResult>({
        filename: options.workerFile ?? getWorkerUrl(),
        // House style has named exports only; piscina calls this one.
        name: 'analyzeInWorker',
        // Given only when a `source` condition was left out: an execArgv given holding a process-wide option
        // (--max-old-space-size, --stack-size) is refused by Node, while the inherited one is silently trimmed.
        ...(execArgv.length !== process.execArgv.length ? { execArgv } : {}),
        minThreads: threads,
        maxThreads: threads,
        idleTimeout: 30_000,
        // A larger young generation than a worker's default: an analysis allocates many short-lived objects (tokens,
        // hits, tallies), and fewer scavenges cost less CPU (about 6 % less in a --jobs 2 batch of 1,000 files).
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
        // One document a worker at a time: piscina 5 gives a worker no second abortable task while it runs one, and every
        // task has the watchdog's signal (a second allowed here was never handed over).
        concurrentTasksPerWorker: 1,
        workerData: { ...settings, poolControl } satisfies TaskSettings,
      });
      // piscina emits 'error' for a worker that fails with no task of its own: most often one that cannot even load its
      // module (a broken install, no memory for another thread). It stops replacing workers that fail while they start,
      // so once none is left the queued documents would wait for ever (and an 'error' nobody listens to kills the
      // process). Then the batch fails as a whole: the fault is not the inputs'. A worker lost while others run is
      // survivable: they go on with the queue.
      pool.on('error', (e: unknown) => {
        if (poolFailure || pool!.threads.length > 0) return;
        poolFailure = new XunshiError(ERROR_CODES.INTERNAL, `no worker thread could be started: ${e instanceof Error ? e.message : String(e)} (with --jobs 1 --timeout 0 the batch runs without them)`);
        void stopPool();
      });
      if (hardStop !== Infinity) {
        watchdog = setInterval(() => {
          const now = performance.now();
          for (const f of flights) {
            if (f.startedAt === undefined) {
              if (Atomics.load(f.control, CONTROL.STARTED) !== 0) f.startedAt = now;
              continue;
            }
            // The seconds the document's own budget was granted for its pages read by OCR count here too.
            if (!f.stopping && now - f.startedAt >= hardStop + 1000 * Atomics.load(f.control, CONTROL.GRANTED)) {
              f.stopping = true;
              Atomics.store(f.control, CONTROL.STOP, 1);
            }
            if (f.stopping && !f.timedOut && Atomics.load(f.control, CONTROL.IN_NATIVE) === 0) {
              f.timedOut = true;
              // piscina terminates the worker running this task and starts a new one in its place.
              f.controller.abort();
            }
          }
        }, WATCH_INTERVAL_MS);
        watchdog.unref();
      }
      // A document that had not begun when its worker was terminated (it waited behind one that ran past its budget,
      // or the worker crashed) is run again on another worker: it did nothing wrong.
      const runOnce = (index: number): Promise<TaskResult | 'not started'> => {
        const input = inputs[index]!;
        // A crashed worker or a terminated pool must not lose the other inputs: it becomes this input's error entry.
        // Each task has its own abort controller (one listener per signal), used by the watchdog alone; an abort of the
        // batch stops dispatching and asks the documents in flight to stop.
        if (poolFailure) return Promise.reject(poolFailure);
        const flight: Flight = { control: createControl(), controller: new AbortController() };
        flights.add(flight);
        return pool!.run(createTask(index, flight.control), { signal: flight.controller.signal }).then(
          (r) => r,
          (e: unknown) => {
            if (poolFailure) throw poolFailure;
            if (!flight.timedOut && stopping === undefined && !signal?.aborted && Atomics.load(flight.control, CONTROL.STARTED) === 0) return 'not started' as const;
            return {
              ok: false,
              error: (flight.timedOut ? createTimeoutError(settings.timeout, input.path, 'its worker thread was stopped and replaced', Atomics.load(flight.control, CONTROL.GRANTED)) : toInputError(e, input.path)).toJSON(),
            } as TaskResult;
          },
        ).finally(() => flights.delete(flight));
      };
      const dispatch = async (i: number): Promise<TaskResult> => {
        const input = inputs[i]!;
        if (input.error) return { ok: false, error: input.error.toJSON() };
        if (kept.has(i)) return KEPT;
        for (let attempt = 1; ; attempt++) {
          const r = await runOnce(i);
          if (r !== 'not started') return r;
          if (attempt >= MAX_NOT_STARTED_RETRIES) return { ok: false, error: toInputError(new Error(`its worker thread ended ${attempt} times before it began`), input.path).toJSON() };
        }
      };
      // One document a worker in flight, and one more waiting in the pool's queue, so that a worker that finishes finds
      // the next at once. Results are written in input order, but a finished document does not wait for the one before
      // it to free its place: a new one is dispatched whenever one finishes, so a long document on one worker does not
      // leave the other without work. Finished results wait to be written, up to RESULTS_AHEAD_PER_WORKER per worker.
      // Documents begin in input order: piscina gives an abortable task (each has the watchdog's signal) only to an idle
      // worker, and puts one it cannot place at the back of its queue of such tasks, so with more than one waiting there
      // the queue turned over at each try (with two workers and 8 in flight they began as doc-0, doc-3, doc-5, doc-1 …;
      // with one worker, a document queued behind a stuck one began only after the watchdog replaced the worker).
      // piscina's stricterFIFO does not help: it puts a newly submitted task that finds no idle worker before the
      // earlier ones. On 2,000 small files, one document a worker and none waiting cost 6 % with --jobs 2; one more
      // waiting took 11.5–12.1 s against 11.7–12.0 s with 8 in flight, and 16.5–16.8 s against 17.0–17.6 s with --jobs 1
      // and one in flight (three alternating runs each, output identical).
      const inFlightMax = threads + 1;
      const aheadMax = threads * RESULTS_AHEAD_PER_WORKER;
      const pending: Pending[] = [];
      let running = 0;
      let wake: (() => void) | undefined;
      const settle = (): void => {
        running--;
        const w = wake;
        wake = undefined;
        w?.();
      };
      // Write the finished results at the head of the queue, in input order (a failure of the pool itself is thrown).
      const flush = (): void => {
        while (pending.length && pending[0]!.state !== 'running' && !signal?.aborted) {
          const head = pending.shift()!;
          if (head.state === 'failed') throw head.error;
          writeResult(head.index, head.result!);
        }
      };
      for (let i = 0; i < inputs.length && !signal?.aborted; i++) {
        for (;;) {
          flush();
          if (signal?.aborted || (running < inFlightMax && pending.length < aheadMax)) break;
          await new Promise<void>((done) => (wake = done));
        }
        if (signal?.aborted) break;
        const entry: Pending = { index: i, state: 'running' };
        running++;
        entry.promise = dispatch(i).then(
          (r) => {
            entry.state = 'done';
            entry.result = r;
            settle();
          },
          (e: unknown) => {
            entry.state = 'failed';
            entry.error = e;
            settle();
          },
        );
        pending.push(entry);
      }
      while (pending.length && !signal?.aborted) {
        flush();
        if (pending.length && pending[0]!.state === 'running') await pending[0]!.promise;
      }
      // Aborted: let the documents in flight finish (or the grace timer reject them) before the pool goes.
      if (signal?.aborted) await Promise.allSettled(pending.map((p) => p.promise));
    }
    if (signal?.aborted) {
      result.aborted = true;
      try {
        sink.interrupt();
      } catch (e) {
        throw toOutputError(e);
      }
    } else {
      try {
        sink.finish();
      } catch (e) {
        throw toOutputError(e);
      }
    }
    return result;
  } catch (e) {
    sink.abort();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    clearTimeout(grace);
    clearInterval(watchdog);
    if (pool) await stopPool();
  }
}
