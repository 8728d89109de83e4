import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Analyzer } from '../src/analyzer.js';
import type { BatchInput } from '../src/inputs.js';
import { createStreamSink, createStreamTarget } from '../src/output.js';
import type { TaskSettings } from '../src/task.js';
import { DEFAULT_MAX_SIZE } from '../src/limits.js';

// V8's flags are process-wide: the batch must set them only when it starts a pool, and only those it is given.
const setFlags = vi.hoisted(() => vi.fn());
vi.mock('node:v8', async (original) => ({ ...(await original<typeof import('node:v8')>()), setFlagsFromString: setFlags }));
const { POOL_V8_FLAGS, runBatch } = await import('../src/batch.js');

const settings: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0 };
const inputs = (n: number): BatchInput[] => Array.from({ length: n }, (_, i) => ({ path: `${i}.txt`, absolute: `/nowhere/${i}.txt` }));
const workerFile = new URL('./fixtures/echo-worker.mjs', import.meta.url).href;
// The main thread's analyzer is never reached here: the inputs do not exist (jobs 1) or a worker echoes them.
const analyzer = { warmUp() {} } as unknown as Analyzer;

afterEach(() => setFlags.mockClear());

describe('runBatch v8Flags', () => {
  it('sets the flags it is given when a pool starts', async () => {
    let out = '';
    const result = await runBatch({ inputs: inputs(3), settings, jobs: 2, analyzer, sink: createStreamSink(settings, createStreamTarget((s) => (out += s))), workerFile, v8Flags: POOL_V8_FLAGS });
    expect(result.threads).toBe(2);
    expect(out).toBe('0.txt\n1.txt\n2.txt\n');
    expect(setFlags.mock.calls).toEqual([['--max-inlined-bytecode-size-cumulative=115']]);
  });
  it('sets none without a pool (one job, or one input to analyse) or without the option', async () => {
    const sink = (): ReturnType<typeof createStreamSink> => createStreamSink(settings, createStreamTarget(() => {}));
    await runBatch({ inputs: inputs(2), settings, jobs: 1, analyzer, sink: sink(), v8Flags: POOL_V8_FLAGS });
    await runBatch({ inputs: inputs(1), settings, jobs: 4, analyzer, sink: sink(), v8Flags: POOL_V8_FLAGS });
    expect(setFlags).not.toHaveBeenCalled();
    const result = await runBatch({ inputs: inputs(3), settings, jobs: 2, analyzer, sink: sink(), workerFile });
    expect(result.threads).toBe(2);
    expect(setFlags).not.toHaveBeenCalled();
  });
});
