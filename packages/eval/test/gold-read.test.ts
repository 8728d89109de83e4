// Reading gold: a malformed gold file or index is refused by name (XUNSHI_GOLD_INVALID, with the file, and the line
// and column where one applies), never read in a way that moves the scores without a word.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { checkGoldOffsets, checkGoldSubcategories, fillGoldTexts, findGoldDocuments, readGoldDocument, readGoldFile, readGoldIndex, type EvalAnalyzer } from '@xunshi/eval';

const root = mkdtempSync(join(tmpdir(), 'xunshi-gold-read-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Write `content` to a fresh file and return its path. */
function file(name: string, content: string): string {
  const dir = join(root, String(n++));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errorOf(f: () => unknown): XunshiError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    return e as XunshiError;
  }
  throw new Error('no error');
}

const unit = (i: number, start: number, end: number, extra: Record<string, unknown> = {}) => ({ i, start, end, text: 'x'.repeat(Math.max(0, Math.floor(end - start))), function: 'problem', categories: [{ id: 'conduct', subcategory: 'conduct.formalism' }], rootCauses: ['responsibility'], ...extra });
const gold = (units: unknown[]) => JSON.stringify({ doc: 'a.txt', units }, null, 1);

describe('readGoldFile', () => {
  it('reads good gold, with or without a BOM', () => {
    const g = gold([unit(0, 0, 4), unit(1, 5, 9, { categories: [], rootCauses: [] })]);
    expect(readGoldFile(file('a.gold.json', g)).units).toHaveLength(2);
    expect(readGoldFile(file('a.gold.json', '\uFEFF' + g)).units).toHaveLength(2);
  });

  it('names the line and column of a JSON syntax error', () => {
    const e = errorOf(() => readGoldFile(file('a.gold.json', '{\n "doc": "a.txt",\n "units": [\n  {i: 0}\n ]\n}')));
    expect(e.code).toBe(ERROR_CODES.GOLD_INVALID);
    expect([e.line, e.column]).toEqual([4, 4]);
    expect(e.message).toMatch(/^gold file is not valid JSON: /);
    const cut = errorOf(() => readGoldFile(file('a.gold.json', '{\n "units": [')));
    expect([cut.line, cut.column]).toEqual([2, 12]);
  });

  it('refuses every malformed unit by its place, before any score', () => {
    const cases: [unknown[], RegExp][] = [
      [[null], /unit 0 is not an object/],
      [[unit(0, 5, 2)], /unit 0: start and end must be whole numbers with 0 ≤ start < end \(got 5, 2\)/],
      [[unit(0, -3, 2)], /got -3, 2/],
      [[unit(0, 1.5, 4)], /got 1.5, 4/],
      [[unit(0, 0, 4), unit(1, 2, 6)], /unit 1 starts at 2, before the unit before it ends \(4\)/],
      [[unit(0, 0, 4), unit(0, 5, 6)], /unit 1: "i" must be its place in the list, 1 \(got 0\)/],
      [[unit(0, 0, 4, { function: 'problme' })], /unknown function "problme"/],
      [[unit(0, 0, 4, { categories: ['conduct'] })], /unknown category "conduct"/],
      [[unit(0, 0, 4, { categories: [{ id: '__proto__', subcategory: null }] })], /unknown category "__proto__"/],
      [[unit(0, 0, 4, { categories: [{ id: 'political', subcategory: 'conduct.formalism' }] })], /subcategory "conduct.formalism" is not one of political/],
      [[unit(0, 0, 4, { categories: [{ id: 'political' }] })], /category political has no "subcategory"/],
      [[unit(0, 0, 4, { categories: [{ id: 'conduct', subcategory: null }, { id: 'conduct', subcategory: null }] })], /category conduct given twice/],
      [[unit(0, 0, 4, { rootCauses: ['responsibilty'] })], /unknown root cause "responsibilty"/],
      [[unit(0, 0, 4, { rootCauses: [5] })], /unknown root cause 5/],
      [[unit(0, 0, 4, { rootCauses: ['ecology', 'ecology'] })], /root cause ecology given twice/],
      [[unit(0, 0, 4, { text: 7 })], /"text" must be a string when present/],
    ];
    for (const [units, message] of cases) {
      const e = errorOf(() => readGoldFile(file('a.gold.json', gold(units))));
      expect(e.code).toBe(ERROR_CODES.GOLD_INVALID);
      expect(e.file).toMatch(/a\.gold\.json$/);
      expect(e.message).toMatch(message);
    }
    // Two subcategories of one area are two findings, not a repeat.
    expect(readGoldFile(file('a.gold.json', gold([unit(0, 0, 4, { categories: [{ id: 'conduct', subcategory: 'conduct.formalism' }, { id: 'conduct', subcategory: 'conduct.hedonism' }] })]))).units).toHaveLength(1);
  });

  it('checks offsets against the text as read, and fills the texts of gold kept without them', () => {
    const dir = join(root, 'notext');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), '形式主义问题。官僚主义问题。');
    writeFileSync(join(dir, 'a.gold.json'), gold([unit(0, 0, 7, { text: undefined }), unit(1, 7, 14, { text: undefined })]));
    const g = fillGoldTexts(readGoldFile(join(dir, 'a.gold.json')), join(dir, 'a.txt'));
    expect(g.units.map((u) => u.text)).toEqual(['形式主义问题。', '官僚主义问题。']);
    expect(() => checkGoldOffsets(g, 14, 'a.gold.json')).not.toThrow();
    const e = errorOf(() => checkGoldOffsets(g, 10, 'a.gold.json'));
    expect(e.message).toBe('unit 1 ends at 14, past the end of its text (10 characters as read)');
  });
});

describe('checkGoldSubcategories', () => {
  const labels = { conduct: {}, 'conduct.formalism': {}, 'conduct.masses': {}, discipline: {} };
  it('accepts subcategories the taxonomy lists, and null', () => {
    const g = readGoldFile(file('a.gold.json', gold([unit(0, 0, 4), unit(1, 5, 9, { categories: [{ id: 'discipline', subcategory: null }] })])));
    expect(() => checkGoldSubcategories(g, labels, 'a.gold.json')).not.toThrow();
  });

  it('refuses one it does not list, naming the unit and the subcategories of its category', () => {
    const g = readGoldFile(file('a.gold.json', gold([unit(0, 0, 4), unit(1, 5, 9, { categories: [{ id: 'conduct', subcategory: 'conduct.formalsim' }] })])));
    const e = errorOf(() => checkGoldSubcategories(g, labels, 'a.gold.json'));
    expect(e.code).toBe(ERROR_CODES.GOLD_INVALID);
    expect(e.message).toBe(`unit 1: subcategory "conduct.formalsim" is not in the rules' taxonomy (conduct: conduct.formalism, conduct.masses, or null)`);
    const none = readGoldFile(file('a.gold.json', gold([unit(0, 0, 4, { categories: [{ id: 'discipline', subcategory: 'discipline.x' }] })])));
    expect(errorOf(() => checkGoldSubcategories(none, labels, 'a.gold.json')).message).toContain('(discipline: none, or null)');
    const inherited = readGoldFile(file('a.gold.json', gold([unit(0, 0, 4, { categories: [{ id: 'conduct', subcategory: 'conduct.constructor' }] })])));
    expect(errorOf(() => checkGoldSubcategories(inherited, { ...labels, __proto__: { 'conduct.constructor': {} } }, 'a.gold.json')).code).toBe(ERROR_CODES.GOLD_INVALID);
  });

  it('readGoldDocument checks them when the analyzer lists its labels, and not otherwise', () => {
    const dir = join(root, String(n++));
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), '形式主义问题。');
    writeFileSync(join(dir, 'a.gold.json'), gold([unit(0, 0, 7, { text: '形式主义问题。', categories: [{ id: 'conduct', subcategory: 'conduct.formalsim' }] })]));
    const d = { textPath: join(dir, 'a.txt'), goldPath: join(dir, 'a.gold.json') };
    const report = { source: { length: 7 } };
    const bare = { lexicon: {}, analyze: () => report } as unknown as EvalAnalyzer;
    expect(readGoldDocument(bare, d).gold.units).toHaveLength(1);
    const e = errorOf(() => readGoldDocument({ ...bare, labels } as EvalAnalyzer, d));
    expect(e.code).toBe(ERROR_CODES.GOLD_INVALID);
    expect(e.message).toContain('conduct.formalsim');
  });
});

describe('checkGoldText', () => {
  const text = '形式主义问题。官僚主义问题。';
  const sha = 'e2c8ab4e6f0d2b5d9f0e1c4d1c0f7e0c3a8b6d5e4f3a2b1c0d9e8f7a6b5c4d3e';
  const pair = (g: string): { textPath: string; goldPath: string } => {
    const dir = join(root, String(n++));
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), text);
    writeFileSync(join(dir, 'a.gold.json'), g);
    return { textPath: join(dir, 'a.txt'), goldPath: join(dir, 'a.gold.json') };
  };
  const bare = { lexicon: {}, analyze: () => ({ source: { length: 14 } }) } as unknown as EvalAnalyzer;
  const units = [unit(0, 0, 7, { text: '形式主义问题。' }), unit(1, 7, 14, { text: undefined })];
  const real = createHash('sha256').update(text).digest('hex');

  it('accepts gold made for its text: its name, its sha256 (hex, or sha256: and hex), its units\' texts', () => {
    for (const doc of [{ doc: 'a.txt' }, { doc: 'a.txt', sha256: real }, { doc: 'a.txt', sha256: `sha256:${real}` }, {}]) {
      expect(readGoldDocument(bare, pair(JSON.stringify({ ...doc, units }))).gold.units.map((u) => u.text)).toEqual(['形式主义问题。', '官僚主义问题。']);
    }
  });

  it('refuses gold made for another text: another name, another sha256, a unit text its offsets do not cut', () => {
    const named = errorOf(() => readGoldDocument(bare, pair(JSON.stringify({ doc: 'b.txt', units }))));
    expect([named.code, named.message]).toEqual([ERROR_CODES.GOLD_INVALID, '"doc" names "b.txt", but the gold file is paired with a.txt: gold is named after its text (NAME.gold.json for NAME.txt)']);
    expect(errorOf(() => readGoldDocument(bare, pair(JSON.stringify({ doc: 'a.txt', sha256: sha, units })))).message).toBe(`"sha256" is not the SHA-256 of a.txt (${real}): the text changed since the gold was made; label it again`);
    const moved = errorOf(() => readGoldDocument(bare, pair(JSON.stringify({ doc: 'a.txt', units: [unit(0, 0, 7, { text: '完全不同的文本。' })] }))));
    expect(moved.message).toBe('unit 0: its "text" is not what 0–7 of a.txt holds ("形式主义问题。"…): the text changed since the gold was made, or the offsets are wrong');
    expect(errorOf(() => readGoldFile(file('a.gold.json', JSON.stringify({ doc: 'a.txt', sha256: 'abc', units })))).message).toBe('"sha256" must be the SHA-256 of the text\'s bytes, 64 hex digits (got "abc")');
    expect(errorOf(() => readGoldFile(file('a.gold.json', JSON.stringify({ doc: 7, units })))).message).toBe('"doc" must be the text\'s file name (got 7)');
  });
});

describe('readGoldIndex', () => {
  const indexIn = (content: string): string => {
    const path = file('index.tsv', content);
    return join(path, '..');
  };

  it('accepts a BOM, CRLF or CR line ends and stray spaces, so that no part is lost', () => {
    for (const content of ['\uFEFFid\tkind\tpart\na\tfeedback\ttuning\nb\tfeedback\theld-out\n', 'id\tkind\tpart\r\na\tfeedback\ttuning\r\nb\tfeedback\theld-out\r\n', 'id\tkind\tpart\ra\tfeedback\ttuning\rb\tfeedback\theld-out ']) {
      const index = readGoldIndex(indexIn(content));
      expect([...index.keys()]).toEqual(['a', 'b']);
      expect(index.get('b')!.part).toBe('held-out');
    }
  });

  it('refuses an empty index, one without an id column, a short row and a repeated id, with the line', () => {
    const cases: [string, RegExp, number | undefined][] = [
      ['', /index\.tsv is empty/, undefined],
      ['name\tkind\tpart\na\tfeedback\ttuning\n', /index\.tsv has no "id" column/, 1],
      ['id\tkind\tpart\na\tfeedback\n', /index\.tsv row has 2 cell\(s\), its header 3/, 2],
      ['id\tkind\tpart\na\tfeedback\ttuning\na\tfeedback\theld-out\n', /index\.tsv names a twice/, 3],
    ];
    for (const [content, message, line] of cases) {
      const e = errorOf(() => readGoldIndex(indexIn(content)));
      expect(e.code).toBe(ERROR_CODES.GOLD_INVALID);
      expect(e.message).toMatch(message);
      expect(e.line).toBe(line);
    }
  });

  it('keeps held-out documents out of a part whatever the line ends of the index', () => {
    const dir = join(root, 'parts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.tsv'), '\uFEFFid\tpart\ra\ttuning\rb\theld-out\r');
    for (const id of ['a', 'b']) {
      writeFileSync(join(dir, `${id}.txt`), '形式主义问题。');
      writeFileSync(join(dir, `${id}.gold.json`), gold([unit(0, 0, 7)]));
    }
    expect(findGoldDocuments(dir, { part: 'tuning' }).map((d) => d.name)).toEqual(['a.txt']);
    expect(findGoldDocuments(dir).map((d) => d.part)).toEqual(['tuning', 'held-out']);
  });
});

describe('findGoldDocuments', () => {
  it('reads a folder linked in twice, or through a loop of links, once; a link to nothing is named where it is gold or its text, and left out elsewhere', () => {
    const dir = join(root, 'links');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'a.txt'), '形式主义问题。');
    writeFileSync(join(dir, 'sub', 'a.gold.json'), gold([unit(0, 0, 7)]));
    symlinkSync(join(dir, 'sub'), join(dir, 'again'));
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    expect(findGoldDocuments(dir).map((d) => d.name)).toEqual(['again/a.txt']);
    // A stray link to nothing (no gold of its name) is no part of the set, like any file without gold.
    symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'b.txt'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'drafts'));
    expect(findGoldDocuments(dir).map((d) => d.name)).toEqual(['again/a.txt']);
    // The text of a gold file, or a gold file, that cannot be read stops the evaluation with its name.
    writeFileSync(join(dir, 'b.gold.json'), gold([unit(0, 0, 7)]));
    const e = errorOf(() => findGoldDocuments(dir));
    expect(e.code).toBe(ERROR_CODES.GOLD_INVALID);
    expect(e.message).toBe('cannot read b.txt in the gold folder: a link to nothing');
    rmSync(join(dir, 'b.gold.json'));
    writeFileSync(join(dir, 'c.txt'), '形式主义问题。');
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'c.gold.json'));
    expect(errorOf(() => findGoldDocuments(dir)).message).toBe('cannot read c.gold.json in the gold folder: a link to nothing');
  });

  it('refuses a gold file without its text or with two, and a folder with no gold document at all', () => {
    const dir = join(root, 'orphans');
    mkdirSync(dir);
    expect(errorOf(() => findGoldDocuments(dir)).message).toMatch(/^no gold documents below .*orphans/);
    writeFileSync(join(dir, 'a.gold.json'), gold([unit(0, 0, 7)]));
    expect(errorOf(() => findGoldDocuments(dir)).message).toBe('a.gold.json has no text beside it (a.txt, .md or .markdown)');
    writeFileSync(join(dir, 'a.txt'), '形式主义问题。');
    writeFileSync(join(dir, 'a.md'), '形式主义问题。');
    expect(errorOf(() => findGoldDocuments(dir)).message).toBe('a.gold.json has 2 texts beside it (a.md, a.txt); keep one');
    rmSync(join(dir, 'a.md'));
    // A text without gold (a README beside the reports) is no document and no error.
    writeFileSync(join(dir, 'README.md'), '说明');
    expect(findGoldDocuments(dir).map((d) => d.name)).toEqual(['a.txt']);
  });
});
