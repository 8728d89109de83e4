import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError, type Report } from '@xunshi/types';
import type { Analyzer } from '../src/analyzer.js';
import { runBatch } from '../src/batch.js';
import { expandInputs, type BatchInput } from '../src/inputs.js';
import { assignJsonOutputNames, assignOutputNames, createHtmlFolderSink, createJsonFolderSink, createStreamSink, createStreamTarget, openAtomicFile, writeFileAtomicSync } from '../src/output.js';
import type { TaskSettings } from '../src/task.js';
import { DEFAULT_MAX_SIZE } from '../src/limits.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'xunshi-output-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const input = (absolute: string | null, path = absolute ?? '-'): BatchInput => ({ path, absolute });

describe('assignJsonOutputNames', () => {
  it('mirrors the tree below the deepest common folder and replaces the extension', () => {
    expect(assignJsonOutputNames([input('/d/r/a.txt'), input('/d/r/s/b.md'), input('/d/r/s/t/c.markdown')])).toEqual(['a.json', 's/b.json', 's/t/c.json']);
    expect(assignJsonOutputNames([input('/d/r/a.txt')])).toEqual(['a.json']);
  });
  it('keeps the extension of names that would clash, names stdin, and skips failed inputs', () => {
    const failed: BatchInput = { path: 'x.docx', absolute: '/elsewhere/x.docx', error: new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, 'no') };
    expect(assignJsonOutputNames([input('/d/a.txt'), input('/d/a.md'), input('/d/b.txt'), input(null), failed])).toEqual(['a.txt.json', 'a.md.json', 'b.json', 'stdin.json', null]);
  });
  it('keeps the whole name of an input whose own name another input\'s whole name took (same.txt, same.md, same.txt.md), in any order', () => {
    const names = ['/d/same.txt', '/d/same.md', '/d/same.txt.md', '/d/other.txt'];
    const want: Record<string, string> = { '/d/same.txt': 'same.txt.json', '/d/same.md': 'same.md.json', '/d/same.txt.md': 'same.txt.md.json', '/d/other.txt': 'other.json' };
    for (const order of [names, [...names].reverse()]) expect(assignJsonOutputNames(order.map((n) => input(n)))).toEqual(order.map((n) => want[n]));
    expect(assignOutputNames([input('/d/x.txt'), input('/d/x.md'), input('/d/x.txt.md'), input('/d/x.txt.txt')], '.html')).toEqual(['x.txt.html', 'x.md.html', 'x.txt.md.html', 'x.txt.txt.html']);
  });
  it('never names a page after the batch index, even for an input named index without an extension', () => {
    expect(assignOutputNames([input('/d/index'), input('/d/index.txt'), input('/d/a.txt')], '.html', ['index.html'])).toEqual(['index.html.html', 'index.txt.html', 'a.html']);
    // The folder's manifest is the batch's own file too (a report named like it was replaced by it).
    expect(assignJsonOutputNames([input('/d/.xunshi-manifest.txt'), input('/d/s/.xunshi-manifest.txt')])).toEqual(['.xunshi-manifest.txt.json', 's/.xunshi-manifest.json']);
  });
  it('names a report of a folder\'s images (--join-images) by the folder, a dot in its name kept; a clash with a file beside it resolved', () => {
    const group = (absolute: string): BatchInput => ({ path: `${absolute}/`, absolute, pages: [input(`${absolute}/IMG_1.jpg`)] });
    expect(assignJsonOutputNames([group('/d/r/2023.05 通报'), input('/d/r/a.txt'), group('/d/r/s/photos')])).toEqual(['2023.05 通报.json', 'a.json', 's/photos.json']);
    expect(assignJsonOutputNames([group('/d/r/通报'), input('/d/r/通报.txt')])).toEqual(['通报.json', '通报.txt.json']);
    expect(assignOutputNames([group('/d/photos')], '.html', ['index.html'])).toEqual(['photos.html']);
  });
  it('gives inputs that mapped to one file after the first round names of their own (the batch was refused, nothing analysed)', () => {
    expect(assignJsonOutputNames([input('/d/a.txt.md'), input('/d/a.txt'), input('/d/a.md')])).toEqual(['a.txt.md.json', 'a.txt.json', 'a.md.json']);
  });
});

describe('openAtomicFile', () => {
  it('shows the file only after commit and leaves nothing after discard', () => {
    const dir = join(root, 'atomic');
    mkdirSync(dir);
    const out = join(dir, 'out.jsonl');
    const a = openAtomicFile(out);
    a.write('one\n');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toHaveLength(1);
    a.write('two\n');
    a.commit();
    expect(readFileSync(out, 'utf8')).toBe('one\ntwo\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    const b = openAtomicFile(join(dir, 'other.csv'));
    b.write('x');
    b.discard();
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });
});

/** An analyzer stand-in: reports echo the text; texts starting with FAIL throw like the decoder does. */
function createEchoAnalyzer(): Analyzer {
  return {
    analyze(bytes: string | Uint8Array, opts?: { path?: string }) {
      const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
      if (text.startsWith('FAIL')) throw new XunshiError(ERROR_CODES.INPUT_BINARY, 'looks binary', opts?.path ? { file: opts.path } : {});
      return { source: { path: opts?.path ?? null }, text } as unknown as Report;
    },
    async analyzeAsync(bytes: string | Uint8Array, opts?: { path?: string }) {
      return this.analyze(bytes, opts);
    },
    warmUp() {},
  } as unknown as Analyzer;
}

describe('runBatch in the main thread (jobs 1)', () => {
  const settings: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0 };

  it('writes every result in input order, failed inputs as error lines in their place', async () => {
    const dir = join(root, 'batch');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'alpha');
    writeFileSync(join(dir, 'b.txt'), 'FAIL');
    writeFileSync(join(dir, 'sub/c.md'), 'gamma');
    writeFileSync(join(dir, 'd.pptx'), 'delta');
    const { inputs } = await expandInputs(['batch', 'batch/d.pptx', '-'], { cwd: root });
    let out = '';
    const seen: string[] = [];
    const result = await runBatch({
      inputs,
      settings,
      jobs: 1,
      analyzer: createEchoAnalyzer(),
      sink: createStreamSink(settings, createStreamTarget((s) => (out += s))),
      stdin: new TextEncoder().encode('from stdin'),
      onResult: (i, e) => seen.push(`${i.path}${e ? `!${e.code}` : ''}`),
    });
    expect(result).toEqual({ analysed: 3, kept: 0, failed: 2, aborted: false, threads: 0 });
    expect(seen).toEqual(['batch/a.txt', `batch/b.txt!${ERROR_CODES.INPUT_BINARY}`, 'batch/sub/c.md', `batch/d.pptx!${ERROR_CODES.INPUT_UNSUPPORTED}`, '-']);
    const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.text ?? l.error.code)).toEqual(['alpha', ERROR_CODES.INPUT_BINARY, 'gamma', ERROR_CODES.INPUT_UNSUPPORTED, 'from stdin']);
    expect(lines[1].error).toEqual({ path: 'batch/b.txt', code: ERROR_CODES.INPUT_BINARY, message: 'looks binary' });
    expect(lines[4].source.path).toBeNull();
  });

  it('stops at an interrupt: the finished reports and their error list stay, an earlier run\'s list does not', async () => {
    const dir = join(root, 'aborted');
    mkdirSync(dir);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `${i}.txt`), i === 1 ? 'FAIL' : `doc ${i}`);
    const { inputs } = await expandInputs([dir]);
    const controller = new AbortController();
    const outDir = join(root, 'aborted-out');
    mkdirSync(outDir);
    // A list left by an earlier run, which named an input that has since been mended.
    writeFileSync(join(outDir, 'errors.jsonl'), '{"error":{"path":"4.txt","code":"XUNSHI_INPUT_EMPTY","message":"stale"}}\n');
    let done = 0;
    const result = await runBatch({
      inputs,
      settings: { ...settings, format: 'json' },
      jobs: 1,
      analyzer: createEchoAnalyzer(),
      sink: createJsonFolderSink(outDir, assignJsonOutputNames(inputs)),
      signal: controller.signal,
      onResult: () => {
        if (++done === 3) controller.abort();
      },
    });
    expect(result).toMatchObject({ aborted: true, analysed: 2, failed: 1 });
    // the two finished reports are complete files, errors.jsonl lists the one finished failure, no temp file is left
    expect(readdirSync(outDir).sort()).toEqual(['0.json', '2.json', 'errors.jsonl']);
    expect(readFileSync(join(outDir, 'errors.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).error.code)).toEqual([ERROR_CODES.INPUT_BINARY]);
  });

  it('stops at an interrupt: a single output file, which would be a cut-off batch, never appears', async () => {
    const dir = join(root, 'aborted-file');
    mkdirSync(dir);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `${i}.txt`), `doc ${i}`);
    const { inputs } = await expandInputs([dir]);
    const controller = new AbortController();
    const out = join(root, 'aborted-file.jsonl');
    let done = 0;
    const result = await runBatch({
      inputs,
      settings,
      jobs: 1,
      analyzer: createEchoAnalyzer(),
      sink: createStreamSink(settings, openAtomicFile(out)),
      signal: controller.signal,
      onResult: () => {
        if (++done === 2) controller.abort();
      },
    });
    expect(result.aborted).toBe(true);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('aborted-file.jsonl'))).toEqual([]);
  });
});

describe('createHtmlFolderSink', () => {
  it('on an interrupt writes the index of the pages written, over an earlier run\'s', () => {
    const dir = join(root, 'html-interrupted');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), 'stale');
    const renderer = { renderIndexHtml: (entries: unknown[]) => JSON.stringify(entries), pageHref: (name: string) => `./${name}` };
    const sink = createHtmlFolderSink(dir, ['a.html', 'b.html'], {}, renderer as unknown as Parameters<typeof createHtmlFolderSink>[3]);
    const summary = { passages: 1, functions: {}, categories: {}, subcategories: {}, rootCauses: {} };
    sink.writeReport(0, '<p>a</p>', { source: { path: 'a.txt' }, summary } as unknown as Report);
    sink.writeError({ path: 'c.txt', code: ERROR_CODES.INPUT_EMPTY, message: 'empty' });
    sink.interrupt();
    expect(readdirSync(dir).sort()).toEqual(['a.html', 'index.html']);
    const index = JSON.parse(readFileSync(join(dir, 'index.html'), 'utf8')) as { href?: string; error?: { path: string } }[];
    expect(index.map((e) => e.href ?? e.error!.path)).toEqual(['./a.html', 'c.txt']);
  });
});

describe('output write failures', () => {
  const settings: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0 };
  const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

  it('a full disk (ENOSPC, injected into the writer) is XUNSHI_OUTPUT_FAILED with a plain message, not internal', async () => {
    const sink = createStreamSink(settings, createStreamTarget(() => {
      throw enospc();
    }));
    const err = await runBatch({ inputs: [input('/nowhere/a.txt')], settings, jobs: 1, analyzer: createEchoAnalyzer(), sink }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XunshiError);
    expect((err as XunshiError).code).toBe(ERROR_CODES.OUTPUT_FAILED);
    expect((err as XunshiError).message).toMatch(/^cannot write output: no space left on device \(ENOSPC\)/);
  });

  it('a full disk when the output is committed is XUNSHI_OUTPUT_FAILED too', async () => {
    const sink = createStreamSink(settings, { write() {}, commit() { throw enospc(); }, discard() {} });
    const err = await runBatch({ inputs: [input('/nowhere/a.txt')], settings, jobs: 1, analyzer: createEchoAnalyzer(), sink }).catch((e: unknown) => e);
    expect((err as XunshiError).code).toBe(ERROR_CODES.OUTPUT_FAILED);
  });
});

describe('runBatch with a worker pool', () => {
  it('more than 10 jobs do not warn about listeners on the abort signal (MaxListenersExceededWarning)', async () => {
    const settings: TaskSettings = { analyzer: {}, format: 'jsonl', per: 'passage', encoding: 'auto', subcategoryIds: [], maxSize: DEFAULT_MAX_SIZE, timeout: 0 };
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const inputs = Array.from({ length: 40 }, (_, i) => input(`/nowhere/${i}.txt`, `${i}.txt`));
      let out = '';
      const controller = new AbortController();
      const result = await runBatch({
        inputs,
        settings,
        jobs: 12,
        analyzer: createEchoAnalyzer(),
        sink: createStreamSink(settings, createStreamTarget((s) => (out += s))),
        signal: controller.signal,
        workerFile: new URL('./fixtures/echo-worker.mjs', import.meta.url).href,
      });
      expect(result).toMatchObject({ analysed: 40, failed: 0, threads: 12 });
      expect(out).toBe(inputs.map((i) => `${i.path}\n`).join(''));
      await new Promise((r) => setTimeout(r, 10));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('output files that are not regular files', () => {
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof XunshiError ? `${e.code}: ${e.message}` : String(e);
    }
    return undefined;
  };
  it('refuses a FIFO and leaves it one (the rename would replace it with a regular file)', () => {
    const fifo = join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(codeOf(() => writeFileAtomicSync(fifo, 'x\n'))).toBe(`${ERROR_CODES.OUTPUT_FAILED}: cannot write ${fifo}: it is a FIFO (named pipe); an output file is written whole to a temporary file and renamed into place, which needs a regular file or nothing there (write to standard output instead)`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
  it('refuses a device, and a folder', () => {
    expect(codeOf(() => openAtomicFile('/dev/null'))).toContain('cannot write /dev/null: it is a character device');
    expect(codeOf(() => openAtomicFile(root))).toContain('it is a folder');
  });
  it('writes through a link to the file it points to, and keeps the link', () => {
    const dir = mkdtempSync(join(root, 'link-'));
    writeFileSync(join(dir, 'real.jsonl'), 'old\n');
    symlinkSync('real.jsonl', join(dir, 'link.jsonl'));
    writeFileAtomicSync(join(dir, 'link.jsonl'), 'new\n');
    expect(lstatSync(join(dir, 'link.jsonl')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.jsonl'), 'utf8')).toBe('new\n');
    symlinkSync('nowhere.jsonl', join(dir, 'dangling.jsonl'));
    expect(codeOf(() => writeFileAtomicSync(join(dir, 'dangling.jsonl'), 'x'))).toContain('it is a link to nothing');
  });
});

