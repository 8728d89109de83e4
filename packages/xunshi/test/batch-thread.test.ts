// Where a batch with one job analyses: in the main thread only what the analysis can stop there (a lone input read as
// text, or anything without a time budget); a batch of several inputs, or a lone PDF, Word file, spreadsheet, archive
// entry or set of pages, in a pool of one worker that the watchdog can stop and replace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../src/analyzer.js';
import { runBatch, workerExecArgv } from '../src/batch.js';
import type { BatchInput } from '../src/inputs.js';
import { DEFAULT_MAX_SIZE } from '../src/limits.js';
import { createStreamSink, createStreamTarget } from '../src/output.js';
import type { TaskSettings } from '../src/task.js';

const dir = mkdtempSync(join(tmpdir(), 'xunshi-batch-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const workerFile = new URL('./fixtures/echo-worker.mjs', import.meta.url).href;
const budget: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 5 };
const file = (name: string, content: string | Uint8Array): BatchInput => {
  writeFileSync(join(dir, name), content);
  return { path: name, absolute: join(dir, name) };
};
// The main thread's analyzer answers with a line of its own, so each result shows which thread made it.
const analyzer = {
  warmUp() {},
  analyzeFileAsync: async () => ({ passages: [] }),
} as unknown as Analyzer;

/** Run a batch of `inputs` with one job; the thread count and what was written. */
async function run(inputs: BatchInput[], settings: TaskSettings = budget, stdin?: Uint8Array): Promise<{ threads: number; out: string }> {
  let out = '';
  const result = await runBatch({ inputs, settings, jobs: 1, analyzer, sink: createStreamSink(settings, createStreamTarget((s) => (out += s))), workerFile, ...(stdin ? { stdin } : {}) });
  return { threads: result.threads, out };
}

describe('runBatch with one job', () => {
  const text = '巡视发现，部分党员干部理论学习不深入。\n';
  const pdf = '%PDF-1.4\n1 0 obj\n<< >>\nendobj\n';

  it('analyses a lone text, Markdown, HTML or CSV input in the main thread', async () => {
    for (const [name, content] of [['a.txt', text], ['a.md', `# 标题\n\n${text}`], ['a.html', `<!doctype html><p>${text}</p>`], ['a.csv', `问题\n${text}`]] as const) {
      expect((await run([file(name, content)])).threads, name).toBe(0);
    }
  });

  it('runs a lone PDF, Word file or workbook in a worker, by its bytes whatever its name', async () => {
    expect(await run([file('b.pdf', pdf)])).toEqual({ threads: 1, out: 'b.pdf\n' });
    // A PDF saved as .doc is read as a PDF (sniffFormat), so it goes to the worker too.
    expect((await run([file('b.doc', pdf)])).threads).toBe(1);
    expect((await run([file('b.docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))])).threads).toBe(1);
    // Standard input is told by its bytes.
    expect((await run([{ path: '-', absolute: null }], budget, new TextEncoder().encode(pdf))).threads).toBe(1);
    expect((await run([{ path: '-', absolute: null }], budget, new TextEncoder().encode(text))).threads).toBe(0);
    // --format-in decides as it does for the reader.
    expect((await run([file('c.txt', text)], { ...budget, formatIn: 'pdf' })).threads).toBe(1);
  });

  it('tells a web archive by as many bytes as the reader does (MIME headers of more than 4 KiB), whatever its name', async () => {
    const headers = Array.from({ length: 60 }, (_, i) => `X-Pad-${i}: ${'x'.repeat(70)}`).join('\r\n');
    const archive = `${headers}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>${text}</p>\r\n--b--\r\n`;
    expect(archive.indexOf('Content-Type')).toBeGreaterThan(4096);
    expect((await run([file('long.html', archive)])).threads).toBe(1);
    expect((await run([file('long.mht', archive)])).threads).toBe(1);
  });

  it('runs a lone web page in a worker with --ocr: the pictures of a page of scans are decoded where it is read', async () => {
    const page = file('scans.html', `<!doctype html><p>${text}</p>`);
    expect((await run([page])).threads).toBe(0);
    expect((await run([page], { ...budget, ocr: true })).threads).toBe(1);
  });

  it('runs a batch of several inputs in a worker; without a time budget, everything in the main thread', async () => {
    const inputs = [file('d.txt', text), file('e.txt', text)];
    expect(await run(inputs)).toEqual({ threads: 1, out: 'd.txt\ne.txt\n' });
    expect((await run(inputs, { ...budget, timeout: 0 })).threads).toBe(0);
    expect((await run([file('f.pdf', pdf)], { ...budget, timeout: 0 })).threads).toBe(0);
  });

  it('keeps an input that cannot be read, or an empty one, in the main thread: its error entry needs no worker', async () => {
    expect((await run([{ path: 'gone.pdf', absolute: join(dir, 'gone.pdf') }])).threads).toBe(0);
    expect((await run([file('empty.pdf', '')])).threads).toBe(0);
  });

});

describe('workerExecArgv', () => {
  it('drops only the source condition, in each of its spellings', () => {
    expect(workerExecArgv(['--require', 'x.cjs', '--conditions', 'source', '--conditions', 'node', '-C', 'source', '--conditions=source', '-C=source', '--max-old-space-size=900'])).toEqual(['--require', 'x.cjs', '--conditions', 'node', '--max-old-space-size=900']);
    expect(workerExecArgv([])).toEqual([]);
  });
});
