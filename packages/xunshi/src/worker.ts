import { workerData } from 'piscina';
import { createAnalyzer } from './analyzer.js';
import { POOL_CONTROL } from './limits.js';
import { runAnalysisTask, type AnalysisTask, type TaskResult, type TaskSettings } from './task.js';

// Each worker thread has its own segmenter and compiled rules; the dictionary is loaded before the first task so
// that the load (1–2 s) overlaps with the other workers' start-up instead of delaying a document.
const settings = workerData as TaskSettings;
const analyzer = createAnalyzer(settings.analyzer);
// The load is native code: the pool is not destroyed while LOADING is above 0 (terminating a thread inside nodejieba
// aborts the process), and a worker started while the pool is closing skips it (sequentially consistent atomics: the
// pool either sees LOADING or this worker sees CLOSING).
const control = settings.poolControl;
if (control) Atomics.add(control, POOL_CONTROL.LOADING, 1);
try {
  if (!control || Atomics.load(control, POOL_CONTROL.CLOSING) === 0) analyzer.warmUp();
} finally {
  if (control) Atomics.sub(control, POOL_CONTROL.LOADING, 1);
}

/** The document this worker analyses last (settled when it is done). */
let last: Promise<unknown> = Promise.resolve();

/**
 * Piscina task handler: analyse one input in this worker thread (errors come back serialised, never thrown). The pool
 * hands a worker its next document while it analyses one (`concurrentTasksPerWorker`); documents are analysed one at
 * a time, each begun when the one before is done, so that its time budget (which starts in `runAnalysisTask`) and the
 * watchdog's clock (which starts when the document marks itself STARTED) do not count the wait.
 */
export function analyzeInWorker(task: AnalysisTask): Promise<TaskResult> {
  const run = last.then(() => runAnalysisTask(analyzer, task, settings));
  last = run.catch(() => undefined);
  return run;
}
