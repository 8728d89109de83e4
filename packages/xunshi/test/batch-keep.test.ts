// --incremental: the reports that stay as they are are found in the batch's own thread before any worker starts, so a
// run that keeps every report starts no thread (and loads no dictionary), and one that keeps most starts only the
// threads the rest need.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../src/analyzer.js';
import { runBatch } from '../src/batch.js';
import { digestBytes, type KeepCheck, type OutputStamp } from '../src/incremental.js';
import type { BatchInput } from '../src/inputs.js';
import type { BatchSink } from '../src/output.js';
import type { TaskSettings } from '../src/task.js';
import { DEFAULT_MAX_SIZE } from '../src/limits.js';

const settings: TaskSettings = { analyzer: {}, format: 'json', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0, stamp: true };
const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).href;
// Never called: every input the tests analyse goes to a worker, and one the main thread analysed would throw.
const analyzer = {} as Analyzer;

const dir = mkdtempSync(join(tmpdir(), 'xunshi-batch-keep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` inputs with a report file each, and the manifest's check of each as the run that wrote them recorded it. */
function folder(name: string, n: number): { inputs: BatchInput[]; checks: KeepCheck[] } {
  mkdirSync(join(dir, name, 'out'), { recursive: true });
  const inputs: BatchInput[] = [];
  const checks: KeepCheck[] = [];
  for (let i = 0; i < n; i++) {
    const input = join(dir, name, `${i}.txt`);
    const report = join(dir, name, 'out', `${i}.json`);
    writeFileSync(input, `巡察反馈第${i}份\n`);
    writeFileSync(report, `{"report":${i}}\n`);
    inputs.push({ path: `${i}.txt`, absolute: input });
    checks.push({ input: digestBytes(`巡察反馈第${i}份\n`), file: report, output: digestBytes(`{"report":${i}}\n`) });
  }
  return { inputs, checks };
}

/** A sink that records what the batch gives it, in order. */
function recorder(): { sink: BatchSink; written: { index: number; output: string; stamp?: OutputStamp }[]; errors: number[] } {
  const written: { index: number; output: string; stamp?: OutputStamp }[] = [];
  const errors: number[] = [];
  const sink: BatchSink = {
    writeReport: (index, output, _report, stamp) => void written.push({ index, output, ...(stamp ? { stamp } : {}) }),
    writeError: (_entry, index) => void errors.push(index!),
    finish: () => undefined,
    abort: () => undefined,
    interrupt: () => undefined,
  };
  return { sink, written, errors };
}

describe('runBatch with reports to keep', () => {
  it('starts no worker when every report is kept (a pool of workers that cannot even load is never touched)', async () => {
    const { inputs, checks } = folder('all', 6);
    const { sink, written, errors } = recorder();
    const result = await runBatch({ inputs, settings, jobs: 2, analyzer, sink, keepOf: (i) => checks[i], workerFile: fixture('broken-worker.mjs') });
    expect(result).toEqual({ analysed: 6, kept: 6, failed: 0, aborted: false, threads: 0 });
    expect(written).toEqual(inputs.map((_, index) => ({ index, output: '', stamp: { kept: true } })));
    expect(errors).toEqual([]);
  });

  it('starts only the threads the inputs left to analyse need, and writes every result in input order', async () => {
    const { inputs, checks } = folder('some', 8);
    // Input 2 changed, input 5's report edited by hand, input 6 has no report recorded, input 7 cannot be read.
    writeFileSync(inputs[2]!.absolute!, '改过了\n');
    writeFileSync(checks[5]!.file, '{}\n');
    rmSync(inputs[7]!.absolute!);
    const { sink, written, errors } = recorder();
    const result = await runBatch({ inputs, settings, jobs: 8, analyzer, sink, keepOf: (i) => (i === 6 ? undefined : checks[i]), workerFile: fixture('echo-worker.mjs') });
    // Four inputs to analyse (the echo worker "analyses" the unreadable one too): four threads, not eight.
    expect(result).toMatchObject({ analysed: 8, kept: 4, failed: 0, aborted: false, threads: 4 });
    expect(written.map((w) => [w.index, w.stamp?.kept === true ? 'kept' : w.output])).toEqual([
      [0, 'kept'],
      [1, 'kept'],
      [2, '2.txt\n'],
      [3, 'kept'],
      [4, 'kept'],
      [5, '5.txt\n'],
      [6, '6.txt\n'],
      [7, '7.txt\n'],
    ]);
    expect(errors).toEqual([]);
  });

  it('keeps nothing of an input the batch already knows to fail, and asks nothing about it', async () => {
    const { inputs, checks } = folder('failing', 2);
    const { XunshiError, ERROR_CODES } = await import('@xunshi/types');
    inputs[0] = { ...inputs[0]!, error: new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'refused', { file: '0.txt' }) };
    const asked: number[] = [];
    const { sink, written, errors } = recorder();
    const result = await runBatch({ inputs, settings, jobs: 2, analyzer, sink, keepOf: (i) => (asked.push(i), checks[i]), workerFile: fixture('broken-worker.mjs') });
    expect(asked).toEqual([1]);
    expect(result).toEqual({ analysed: 1, kept: 1, failed: 1, aborted: false, threads: 0 });
    expect(written).toEqual([{ index: 1, output: '', stamp: { kept: true } }]);
    expect(errors).toEqual([0]);
  });
});
