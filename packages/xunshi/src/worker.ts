import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
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

const encoder = new TextEncoder();

/**
 * Piscina task handler: analyse one input in this worker thread (errors come back serialised, never thrown). The
 * rendered output goes back as its UTF-8 bytes in a buffer of its own that is moved, not copied, to the main thread: the
 * encoding is done here, in parallel, instead of a structured copy of the string here and its encoding for the file in
 * the main thread.
 */
export async function analyzeInWorker(task: AnalysisTask): Promise<TaskResult> {
  const result = await runAnalysisTask(analyzer, task, settings);
  if (!result.ok || typeof result.output !== 'string' || result.output.length === 0) return result;
  const bytes = encoder.encode(result.output);
  const moved: TaskResult = { ...result, output: bytes };
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: moved } as never) as unknown as TaskResult;
}
