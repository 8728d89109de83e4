import { workerData } from 'piscina';
import { createAnalyzer } from './analyzer.js';
import { runAnalysisTask, type AnalysisTask, type TaskResult, type TaskSettings } from './task.js';

// Each worker thread has its own segmenter and compiled rules; the dictionary is loaded before the first task so
// that the load (1–2 s) overlaps with the other workers' start-up instead of delaying a document.
const settings = workerData as TaskSettings;
const analyzer = createAnalyzer(settings.analyzer);
analyzer.warmUp();

/** Piscina task handler: analyse one input in this worker thread (errors come back serialised, never thrown). */
export function analyzeInWorker(task: AnalysisTask): Promise<TaskResult> {
  return runAnalysisTask(analyzer, task, settings);
}
