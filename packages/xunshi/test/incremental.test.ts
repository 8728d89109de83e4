import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { ERROR_CODES } from '@xunshi/types';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MANIFEST_FILE, ManifestWriter, PageDigest, digestBytes, fileUnchanged, manifestKey, mayKeep, readManifest, renderManifest, type ManifestEntry } from '../src/incremental.js';
import { computeBuildIdentity, getBuildIdentity } from '../src/build-identity.js';
import { createHtmlFolderSink, createJsonFolderSink } from '../src/output.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'xunshi-incremental-'));
const KEY_PARTS = { build: 'b', rulesetHash: 'sha256:r', format: 'json' as const, encoding: 'auto' };
const entry = (over: Partial<ManifestEntry> = {}): ManifestEntry => ({ path: 'in/a.txt', input: 'i'.repeat(64), output: 'o'.repeat(64), format: 'text', ocr: false, ...over });

describe('manifestKey', () => {
  it('changes with the build, the rules, the format, the encoding and the forced input format', () => {
    const base = manifestKey(KEY_PARTS);
    expect(manifestKey({ ...KEY_PARTS })).toBe(base);
    for (const other of [{ build: 'c' }, { rulesetHash: 'sha256:s' }, { format: 'html' as const }, { encoding: 'gb18030' }, { formatIn: 'text' }]) {
      expect(manifestKey({ ...KEY_PARTS, ...other })).not.toBe(base);
    }
  });
});

describe('readManifest and renderManifest', () => {
  it('reads back what was written under the same key, and says why it gives nothing otherwise', () => {
    const dir = tmp();
    expect(readManifest(dir, 'k')).toEqual({ entries: new Map(), none: 'missing' });
    const entries = new Map([
      ['b.json', entry({ path: 'in/b.txt' })],
      ['a.json', entry({ format: 'pdf', ocr: true })],
    ]);
    writeFileSync(join(dir, MANIFEST_FILE), renderManifest('k', entries));
    const back = readManifest(dir, 'k');
    expect(back.none).toBeUndefined();
    expect([...back.entries]).toEqual([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(readManifest(dir, 'other')).toEqual({ entries: new Map(), none: 'other-key' });
    writeFileSync(join(dir, MANIFEST_FILE), '{"version": 1, "key": "k", "reports": ');
    expect(readManifest(dir, 'k').none).toBe('unreadable');
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ version: 99, key: 'k', reports: {} }));
    expect(readManifest(dir, 'k').none).toBe('unreadable');
  });

  it('drops an entry that is not one (edited by hand) and keeps the others', () => {
    const dir = tmp();
    const counts = { passages: 3, functions: { problem: 2 }, categories: {}, subcategories: {}, rootCauses: {} };
    const reports = {
      'a.json': entry(),
      'b.json': { ...entry(), format: 'scroll' },
      'c.json': { ...entry(), ocr: 'yes' },
      'd.json': { ...entry(), index: { ...counts, passages: 'many' } },
      'e.json': { ...entry(), index: { ...counts, functions: { problem: '<script>' } } },
      'f.json': { ...entry(), index: { ...counts, categories: { conduct: -1 } } },
      'g.json': { ...entry(), index: counts },
    };
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ version: 1, key: 'k', reports }));
    expect([...readManifest(dir, 'k').entries.keys()]).toEqual(['a.json', 'g.json']);
  });

  it('gives the same bytes for the same entries in any order (property)', () => {
    const arbEntry = fc.record({ path: fc.string(), input: fc.stringMatching(/^[0-9a-f]{64}$/), output: fc.stringMatching(/^[0-9a-f]{64}$/), format: fc.constantFrom('text' as const, 'pdf' as const), ocr: fc.boolean() });
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), arbEntry), { selector: ([n]) => n, maxLength: 8 }), (list) => {
        const forward = renderManifest('k', new Map(list));
        expect(renderManifest('k', new Map([...list].reverse()))).toBe(forward);
        const dir = tmp();
        writeFileSync(join(dir, MANIFEST_FILE), forward);
        expect(renderManifest('k', readManifest(dir, 'k').entries)).toBe(forward);
      }),
      { numRuns: 50 },
    );
  });
});

describe('mayKeep', () => {
  it('needs the same path, and the same --ocr only where OCR bears on the format', () => {
    expect(mayKeep(entry(), 'in/a.txt', false)).toBe(true);
    expect(mayKeep(entry(), './in/a.txt', false)).toBe(false);
    // A text file reads alike with and without --ocr.
    expect(mayKeep(entry(), 'in/a.txt', true)).toBe(true);
    expect(mayKeep(entry({ format: 'pdf' }), 'in/a.txt', true)).toBe(false);
    expect(mayKeep(entry({ format: 'pdf', ocr: true }), 'in/a.txt', true)).toBe(true);
    expect(mayKeep(entry({ format: 'docx' }), 'in/a.txt', true)).toBe(false);
    expect(mayKeep(entry({ format: 'xlsx' }), 'in/a.txt', true)).toBe(true);
  });
});

describe('PageDigest', () => {
  const digestOf = (pages: [string, string | undefined, string?][]): string => {
    const d = new PageDigest();
    for (const [name, text, error] of pages) d.add(name, text === undefined ? undefined : new TextEncoder().encode(text), error);
    return d.digest();
  };
  it('changes when a page is added, removed, renamed, reordered, changed, or becomes readable', () => {
    const base = digestOf([['1.jpg', 'a'], ['2.jpg', 'b']]);
    expect(digestOf([['1.jpg', 'a'], ['2.jpg', 'b']])).toBe(base);
    const others = [
      digestOf([['1.jpg', 'a']]),
      digestOf([['1.jpg', 'a'], ['2.jpg', 'b'], ['3.jpg', 'c']]),
      digestOf([['1.jpg', 'a'], ['3.jpg', 'b']]),
      digestOf([['2.jpg', 'b'], ['1.jpg', 'a']]),
      digestOf([['1.jpg', 'a'], ['2.jpg', 'c']]),
      digestOf([['1.jpg', 'a'], ['2.jpg', undefined, 'XUNSHI_INPUT_UNREADABLE']]),
      // A name and bytes cannot be shifted into each other.
      digestOf([['1.jpg', 'a'], ['2.jp', 'gb']]),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
    expect(digestOf([['1.jpg', undefined, 'XUNSHI_INPUT_UNREADABLE']])).not.toBe(digestOf([['1.jpg', undefined, 'XUNSHI_INPUT_TOO_LARGE']]));
  });
});

describe('fileUnchanged', () => {
  it('is true only for the file as it was hashed', () => {
    const dir = tmp();
    const file = join(dir, 'a.json');
    writeFileSync(file, '{"a":1}\n');
    const digest = digestBytes('{"a":1}\n');
    expect(fileUnchanged(file, digest)).toBe(true);
    writeFileSync(file, '{"a":2}\n');
    expect(fileUnchanged(file, digest)).toBe(false);
    expect(fileUnchanged(join(dir, 'gone.json'), digest)).toBe(false);
  });
});

describe('ManifestWriter', () => {
  const outputs = [
    { name: 'a.json', path: 'in/a.txt' },
    { name: 'b.json', path: 'in/b.txt' },
    null,
    { name: 'c.json', path: 'in/c.txt' },
  ];
  const stamp = (n: string) => ({ input: n.repeat(64), output: n.repeat(64), format: 'text' as const });

  it('records what is written, keeps what is kept, forgets what failed, and keeps the earlier entries of inputs not reached', () => {
    const dir = tmp();
    const previous = new Map([
      ['a.json', entry({ path: 'in/a.txt' })],
      ['b.json', entry({ path: 'in/b.txt' })],
      ['c.json', entry({ path: 'in/c.txt' })],
      ['gone.json', entry({ path: 'in/gone.txt' })],
    ]);
    const writer = new ManifestWriter(dir, 'k', previous, outputs, true);
    expect(writer.previousOf(1)).toEqual(previous.get('b.json'));
    expect(writer.othersKept()).toEqual(['gone.json']);
    expect(writer.previousOf(2)).toBeUndefined();
    writer.record(0, stamp('1'));
    writer.record(1, { kept: true });
    writer.forget(3);
    // Standard input: no report file of its own.
    writer.record(2, stamp('2'));
    writer.write();
    const back = readManifest(dir, 'k').entries;
    expect(back.get('a.json')).toEqual({ path: 'in/a.txt', input: '1'.repeat(64), output: '1'.repeat(64), format: 'text', ocr: true });
    expect(back.get('b.json')).toEqual(previous.get('b.json'));
    expect(back.has('c.json')).toBe(false);
    expect(back.get('gone.json')).toEqual(previous.get('gone.json'));
    // Written without a stamp (a web page that looked for pictures beside it): nothing to keep next time.
    const again = new ManifestWriter(dir, 'k', back, outputs, true);
    again.record(0, undefined);
    again.write();
    expect(readManifest(dir, 'k').entries.has('a.json')).toBe(false);
  });

  it('drops the earlier entry of an input of this run whose report is now written under another name, as a full run has it', () => {
    const dir = tmp();
    // The earlier run wrote in/a.txt as x.json; beside an x.md now, it is x.txt.json (and x.md is x.md.json).
    const previous = new Map([
      ['x.json', entry({ path: 'in/a.txt' })],
      ['gone.json', entry({ path: 'in/gone.txt' })],
    ]);
    const renamed = [{ name: 'x.txt.json', path: 'in/a.txt' }, { name: 'x.md.json', path: 'in/x.md' }];
    const writer = new ManifestWriter(dir, 'k', previous, renamed, false);
    expect(writer.previousOf(0)).toBeUndefined();
    // x.json is not a report of an input outside this run.
    expect(writer.othersKept()).toEqual(['gone.json']);
    writer.record(0, stamp('1'));
    writer.record(1, stamp('2'));
    writer.write();
    expect([...readManifest(dir, 'k').entries.keys()].sort()).toEqual(['gone.json', 'x.md.json', 'x.txt.json']);
  });

  it('is written by the JSON folder sink at the end and on an interrupt, and a kept report is left as it is', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'b.json'), 'earlier\n');
    const previous = new Map([['b.json', entry({ path: 'in/b.txt' })]]);
    const writer = new ManifestWriter(dir, 'k', previous, outputs, false);
    const sink = createJsonFolderSink(dir, ['a.json', 'b.json', null, 'c.json'], writer);
    sink.writeReport(0, 'new a\n', undefined, stamp('3'));
    sink.writeReport(1, '', undefined, { kept: true });
    sink.interrupt();
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('new a\n');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('earlier\n');
    const back = readManifest(dir, 'k').entries;
    expect([...back.keys()]).toEqual(['a.json', 'b.json']);
    expect(back.get('a.json')!.output).toBe('3'.repeat(64));
  });

  it('is refused by the sinks, before any input is read, when something else stands where it is written', () => {
    const dir = tmp();
    mkdirSync(join(dir, MANIFEST_FILE));
    const writer = (): ManifestWriter => new ManifestWriter(dir, 'k', new Map(), [], false);
    expect(() => createJsonFolderSink(dir, [], writer())).toThrow(expect.objectContaining({ code: ERROR_CODES.OUTPUT_FAILED, message: expect.stringContaining('.xunshi-manifest.json: it is a folder') }));
    const renderer = { renderIndexHtml: () => 'index', pageHref: (name: string) => name };
    expect(() => createHtmlFolderSink(dir, [], {}, renderer as unknown as Parameters<typeof createHtmlFolderSink>[3], writer())).toThrow(expect.objectContaining({ code: ERROR_CODES.OUTPUT_FAILED }));
    // The error list was not left behind half-made.
    expect(readdirSync(dir)).toEqual([MANIFEST_FILE]);
  });

  it('lets the HTML folder sink list a kept page with the counts recorded for it', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    const summary = { passages: 3, functions: { problem: 2 }, categories: { conduct: 1 }, subcategories: {}, rootCauses: {} };
    const previous = new Map([['sub/b.html', entry({ path: 'in/sub/b.txt', index: summary })]]);
    const writer = new ManifestWriter(dir, 'k', previous, [null, { name: 'sub/b.html', path: 'in/sub/b.txt' }], false);
    const seen: unknown[] = [];
    const renderer = { renderIndexHtml: (entries: unknown[]) => (seen.push(...entries), 'index'), pageHref: (name: string) => `./${name}` };
    const sink = createHtmlFolderSink(dir, [null, 'sub/b.html'], {}, renderer as unknown as Parameters<typeof createHtmlFolderSink>[3], writer);
    sink.writeReport(1, '', undefined, { kept: true });
    sink.finish();
    expect(seen).toEqual([{ href: './sub/b.html', report: { source: { path: 'in/sub/b.txt' }, summary } }]);
    expect(readManifest(dir, 'k').entries.get('sub/b.html')!.index).toEqual(summary);
  });
});

describe('build identity', () => {
  it('is the same within a process and a SHA-256', () => {
    expect(getBuildIdentity()).toMatch(/^[0-9a-f]{64}$/);
    expect(getBuildIdentity()).toBe(getBuildIdentity());
  });

  it("changes with the code, the version and a dependency's installed version, not with type declarations", () => {
    const root = tmp();
    const code = join(root, 'dist');
    mkdirSync(join(code, 'sub'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    const write = (file: string, text: string): void => writeFileSync(join(root, file), text);
    write('package.json', JSON.stringify({ version: '1.0.0', dependencies: { dep: '^1', absent: '^2' } }));
    write('node_modules/dep/package.json', JSON.stringify({ version: '1.2.3' }));
    write('dist/index.js', 'export const a = 1;\n');
    write('dist/sub/x.js', 'export const b = 2;\n');
    write('dist/index.d.ts', 'export declare const a: number;\n');
    const other = join(root, 'other', 'dist');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'index.js'), 'export {};\n');
    const id = (): string => computeBuildIdentity(code, [{ name: '@x/other', entry: join(other, 'index.js') }]);
    const base = id();
    expect(id()).toBe(base);
    write('dist/index.d.ts', 'export declare const a: 1;\n');
    expect(id()).toBe(base);
    const changes: [string, string][] = [
      ['dist/sub/x.js', 'export const b = 3;\n'],
      ['package.json', JSON.stringify({ version: '1.0.1', dependencies: { dep: '^1', absent: '^2' } })],
      ['node_modules/dep/package.json', JSON.stringify({ version: '1.2.4' })],
      ['other/dist/index.js', 'export const c = 0;\n'],
    ];
    const seen = new Set([base]);
    for (const [file, text] of changes) {
      write(file, text);
      const now = id();
      expect(seen.has(now), file).toBe(false);
      seen.add(now);
    }
  });
});
