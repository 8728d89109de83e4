// A pool whose workers cannot load must fail the batch with XUNSHI_INTERNAL (it waited for ever, and piscina's
// unheard 'error' event killed the process); one worker lost while another runs must lose no input.
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { Analyzer } from '../src/analyzer.js';
import { runBatch } from '../src/batch.js';
import type { BatchInput } from '../src/inputs.js';
import { createStreamSink, createStreamTarget } from '../src/output.js';
import type { TaskSettings } from '../src/task.js';
import { DEFAULT_MAX_SIZE } from '../src/limits.js';

const settings: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0 };
const inputs = (n: number): BatchInput[] => Array.from({ length: n }, (_, i) => ({ path: `${i}.txt`, absolute: `/nowhere/${i}.txt` }));
const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).href;
const analyzer = {} as Analyzer;

describe('runBatch with workers that cannot start', () => {
  it('fails the batch with XUNSHI_INTERNAL when no worker loads, and aborts the sink', async () => {
    for (const jobs of [2, 3]) {
      let out = '';
      const sink = createStreamSink(settings, createStreamTarget((s) => (out += s)));
      const abort = vi.spyOn(sink, 'abort');
      const finish = vi.spyOn(sink, 'finish');
      const error = await runBatch({ inputs: inputs(20), settings, jobs, analyzer, sink, workerFile: fixture('broken-worker.mjs') }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(XunshiError);
      expect((error as XunshiError).code).toBe(ERROR_CODES.INTERNAL);
      expect((error as XunshiError).message).toContain('no worker thread could be started: broken worker module');
      expect(abort).toHaveBeenCalled();
      expect(finish).not.toHaveBeenCalled();
      expect(out).toBe('');
    }
  });

  it('goes on with the workers that did load when one does not', async () => {
    let out = '';
    const flaky = { ...settings, flakyCounter: new SharedArrayBuffer(4) } as TaskSettings;
    const result = await runBatch({ inputs: inputs(30), settings: flaky, jobs: 2, analyzer, sink: createStreamSink(flaky, createStreamTarget((s) => (out += s))), workerFile: fixture('flaky-worker.mjs') });
    expect(result).toMatchObject({ analysed: 30, failed: 0, aborted: false });
    expect(out).toBe(inputs(30).map((i) => `${i.path}\n`).join(''));
  });
});

describe('an input whose worker ran out of memory', () => {
  it('is an INPUT_TOO_LARGE entry naming what happened, not XUNSHI_INTERNAL', async () => {
    const { toInputError } = await import('../src/task.js');
    const oom = Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
    const e = toInputError(oom, 'big.docx');
    expect(e).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'big.docx' });
    expect(e.message).toMatch(/^reading and analysing it ran out of memory/);
    expect(toInputError(new Error('something else'), 'x.txt').code).toBe(ERROR_CODES.INTERNAL);
  });
});
