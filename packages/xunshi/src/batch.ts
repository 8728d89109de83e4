import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Piscina } from 'piscina';
import { ERROR_CODES, XunshiError, type SerializedError } from '@xunshi/types';
import type { ErrorEntry } from '@xunshi/types';
import type { Analyzer } from './analyzer.js';
import type { BatchInput } from './inputs.js';
import { createErrorEntry, toOutputError, type BatchSink } from './output.js';
import { runAnalysisTask, toInputError, type AnalysisTask, type TaskResult, type TaskSettings } from './task.js';

/** Options of {@link runBatch}. */
export interface BatchOptions {
  /** Inputs in output order (from `expandInputs`); those with an `error` become error entries without analysis. */
  inputs: readonly BatchInput[];
  settings: TaskSettings;
  /** Most worker threads to use; never more than the inputs to analyse; with 1 the main thread analyses. */
  jobs: number;
  /** The main thread's analyzer (its rules already validated); it analyses when no pool is needed. */
  analyzer: Analyzer;
  sink: BatchSink;
  /** Bytes of standard input, for the input `-`. */
  stdin?: Uint8Array;
  /** Aborting stops dispatching, lets the documents in flight finish (within a grace time), stops the workers and discards temporary output. */
  signal?: AbortSignal;
  /** Called once per input, in input order, after its result was written; `error` is set for a failed input. */
  onResult?: (input: BatchInput, error?: ErrorEntry & { serialized: SerializedError }) => void;
  /** The worker script (a file URL); default the compiled `worker.js`. Tests give a stand-in. */
  workerFile?: string;
}

/** Outcome of {@link runBatch}. */
export interface BatchResult {
  analysed: number;
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
 * Analyse every input and write the results to `sink` in input order, whatever order workers finish in. At most
 * `2 × threads` inputs are in flight or waiting to be written, so memory does not grow with the batch.
 */
/** How long an aborted batch waits for the documents in flight before it terminates the workers. */
const ABORT_GRACE_MS = 10_000;

export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const { inputs, settings, sink, signal } = options;
  if (!Number.isInteger(options.jobs) || options.jobs < 1) {
    throw new XunshiError(ERROR_CODES.USAGE, `jobs must be a positive integer, got ${options.jobs}`);
  }
  const toAnalyse = inputs.filter((i) => !i.error).length;
  // Each worker loads a ~250 MB dictionary for 1–2 s: never start one that would have nothing to do.
  const threads = Math.min(options.jobs, toAnalyse);
  const result: BatchResult = { analysed: 0, failed: 0, aborted: false, threads: threads > 1 ? threads : 0 };

  const createTask = (input: BatchInput): AnalysisTask => {
    const task: AnalysisTask = { path: input.path, absolute: input.absolute };
    if (input.absolute === null) task.bytes = options.stdin ?? new Uint8Array();
    return task;
  };
  const writeResult = (index: number, r: TaskResult): void => {
    const input = inputs[index]!;
    try {
      if (r.ok) {
        sink.writeReport(index, r.output, r.report);
        result.analysed++;
        options.onResult?.(input);
      } else {
        const entry = createErrorEntry(input.path, r.error);
        sink.writeError(entry);
        result.failed++;
        options.onResult?.(input, { ...entry, serialized: r.error });
      }
    } catch (e) {
      throw toOutputError(e);
    }
  };

  let pool: Piscina<AnalysisTask, TaskResult> | undefined;
  let destroyed: Promise<void> | undefined;
  const stopPool = (): void => {
    destroyed ??= pool?.destroy();
  };
  // On an abort the documents in flight (at most two per worker) may finish before the pool is destroyed: terminating
  // a worker inside nodejieba aborts the whole process (Napi::Error, SIGABRT). A worker still busy after
  // ABORT_GRACE_MS is terminated all the same, which rejects its task.
  let grace: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    grace = setTimeout(stopPool, ABORT_GRACE_MS);
    grace.unref();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (threads <= 1) {
      for (let i = 0; i < inputs.length; i++) {
        // Let a pending SIGINT/SIGTERM handler run between two documents.
        await nextTurn();
        if (signal?.aborted) break;
        const input = inputs[i]!;
        writeResult(i, input.error ? { ok: false, error: input.error.toJSON() } : await runAnalysisTask(options.analyzer, createTask(input), settings));
      }
    } else {
      // Loaded only when a pool is needed, so that a one-file run does not pay for it at start-up.
      const { Piscina: Pool } = await import('piscina');
      pool = new Pool<AnalysisTask, TaskResult>({
        filename: options.workerFile ?? getWorkerUrl(),
        // House style has named exports only; piscina calls this one.
        name: 'analyzeInWorker',
        minThreads: threads,
        maxThreads: threads,
        idleTimeout: 30_000,
        workerData: settings,
      });
      const dispatch = (i: number): Promise<TaskResult> => {
        const input = inputs[i]!;
        if (input.error) return Promise.resolve({ ok: false, error: input.error.toJSON() });
        // A crashed worker or a terminated pool must not lose the other inputs: it becomes this input's error entry.
        // No per-task abort signal: an abort stops dispatching and the pool is destroyed once the tasks in flight are
        // done, and one listener per task on one signal passed Node's limit of 10 (MaxListenersExceededWarning).
        return pool!.run(createTask(input)).then(
          (r) => r,
          (e: unknown) => ({ ok: false, error: toInputError(e, input.path).toJSON() }) as TaskResult,
        );
      };
      const window = threads * 2;
      const pending: { index: number; promise: Promise<TaskResult> }[] = [];
      for (let i = 0; i < inputs.length && !signal?.aborted; i++) {
        pending.push({ index: i, promise: dispatch(i) });
        while (pending.length >= window && !signal?.aborted) {
          const head = pending.shift()!;
          const r = await head.promise;
          if (!signal?.aborted) writeResult(head.index, r);
        }
      }
      while (pending.length && !signal?.aborted) {
        const head = pending.shift()!;
        const r = await head.promise;
        if (!signal?.aborted) writeResult(head.index, r);
      }
      // Aborted: let the documents in flight finish (or the grace timer reject them) before the pool goes.
      if (signal?.aborted) await Promise.allSettled(pending.map((p) => p.promise));
    }
    if (signal?.aborted) {
      result.aborted = true;
      sink.abort();
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
    if (pool) {
      stopPool();
      await destroyed;
    }
  }
}
