// With one job the main thread analyses: its dictionary is loaded before the first document's time budget starts (a
// worker loads it before its first task), so that the same input does not time out with --jobs 1 alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../src/analyzer.js';
import { runBatch } from '../src/batch.js';
import type { BatchInput } from '../src/inputs.js';
import { createStreamSink, createStreamTarget } from '../src/output.js';
import type { TaskSettings } from '../src/task.js';
import { DEFAULT_MAX_SIZE } from '../src/limits.js';
import { createAnalyzer } from '../src/analyzer.js';

const dir = mkdtempSync(join(tmpdir(), 'xunshi-batch-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0 };

describe('runBatch with one job', () => {
  it('loads the dictionary before the first document (and not at all when there is none to analyse)', async () => {
    const real = createAnalyzer();
    const calls: string[] = [];
    const analyzer = new Proxy(real, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key === 'warmUp') return () => calls.push('warmUp');
        if (key === 'analyzeAsync') return (...args: unknown[]) => (calls.push('analyzeAsync'), (value as (...a: unknown[]) => unknown).apply(target, args));
        return value;
      },
    }) as Analyzer;
    const inputs: BatchInput[] = ['a', 'b'].map((n) => {
      writeFileSync(join(dir, `${n}.txt`), '巡视发现，部分党员干部理论学习不深入。\n');
      return { path: `${n}.txt`, absolute: join(dir, `${n}.txt`) };
    });
    let out = '';
    const result = await runBatch({ inputs, settings, jobs: 1, analyzer, sink: createStreamSink(settings, createStreamTarget((s) => (out += s))) });
    expect(result).toMatchObject({ analysed: 2, failed: 0, threads: 0 });
    expect(calls).toEqual(['warmUp', 'analyzeAsync', 'analyzeAsync']);
    expect(out.trim().split('\n')).toHaveLength(2);
    calls.length = 0;
    await runBatch({ inputs: [{ path: 'x.docx', absolute: join(dir, 'x.docx'), error: new (await import('@xunshi/types')).XunshiError('XUNSHI_INPUT_UNSUPPORTED', 'no') }], settings, jobs: 1, analyzer, sink: createStreamSink(settings, createStreamTarget(() => undefined)) });
    expect(calls).toEqual([]);
  });
});
