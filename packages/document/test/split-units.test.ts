import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUnitWhitespace, parseDocument, splitLines, splitUnits } from '../src/index.js';
import { SHARED_DIR, hasShared } from '../../../test/support/shared.js';

const texts = (s: string): string[] => splitUnits(s).map((u) => u.text);

describe('splitUnits (taxonomy.md algorithm)', () => {
  it('keeps closing quotes and brackets after a terminator with the unit', () => {
    expect(texts('他说:“要整改。”随后离开。')).toEqual(['他说:“要整改。”', '随后离开。']);
    expect(texts('（见附件。）下一句；再一句')).toEqual(['（见附件。）', '下一句；', '再一句']);
    expect(texts("He said 'ok!' then; left")).toEqual(["He said 'ok!'", 'then;', 'left']);
  });

  it('keeps consecutive terminators together', () => {
    expect(texts('真的吗？！是的。')).toEqual(['真的吗？！', '是的。']);
    expect(texts('啊!?;好')).toEqual(['啊!?;', '好']);
  });

  it('does not cut at an ellipsis alone, only at a terminator after it', () => {
    expect(texts('存在风险……有待加强')).toEqual(['存在风险……有待加强']);
    expect(texts('存在风险……。下一句')).toEqual(['存在风险……。', '下一句']);
  });

  it('cuts at every line end (LF, CRLF, CR) and never includes the break', () => {
    const t = '第一行\r\n第二行\r第三行\n\n第四行';
    const u = splitUnits(t);
    expect(u.map((x) => x.text)).toEqual(['第一行', '第二行', '第三行', '第四行']);
    expect(u.map((x) => [x.start, x.end])).toEqual([
      [0, 3],
      [5, 8],
      [9, 12],
      [14, 17],
    ]);
  });

  it('splitLines counts a CRLF as one line break (a bare CR or LF as one too), so lines and blank lines are the same as with LF', () => {
    expect(splitLines('a\r\nb\rc\n\nd')).toEqual([
      { start: 0, end: 1, line: 0 },
      { start: 3, end: 4, line: 1 },
      { start: 5, end: 6, line: 2 },
      { start: 7, end: 7, line: 3 },
      { start: 8, end: 9, line: 4 },
    ]);
    // A Windows file has no blank line between its lines: the same paragraphs (blocks) as its LF copy.
    const lf = '一、总体情况\n巡视发现问题。整改不到位。\n第二句在同一段。\n\n新的一段。';
    const blocks = (t: string) => parseDocument(t).units.map((u) => [u.text, u.block]);
    expect(blocks(lf.replace(/\n/g, '\r\n'))).toEqual(blocks(lf));
  });

  it('trims ASCII spaces, tabs, U+3000, U+00A0 and U+FEFF but keeps inner ones', () => {
    const t = '\u3000\u3000巡视 工作。 \t下一句\u00a0\ufeff';
    const u = splitUnits(t);
    expect(u.map((x) => x.text)).toEqual(['巡视 工作。', '下一句']);
    expect(u[0]!.start).toBe(2);
  });

  it('keeps a line without terminator as one unit and drops empty pieces', () => {
    expect(texts('一、巡察发现的问题\n   \n。')).toEqual(['一、巡察发现的问题', '。']);
    expect(splitUnits('')).toEqual([]);
    expect(splitUnits('\n\r\n \u3000')).toEqual([]);
  });

  it('counts offsets in UTF-16 code units (surrogate pairs are two)', () => {
    const u = splitUnits('𠀀字。好');
    expect(u.map((x) => [x.start, x.end])).toEqual([
      [0, 4],
      [4, 5],
    ]);
  });
});

const WS_CHARS = [' ', '\t', '\u3000', '\u00a0', '\ufeff'];
const piece = fc.oneof(
  fc.constantFrom('。', '！', '？', '；', '!', '?', ';', '”', '’', '」', '）', ')', '"', "'", '…', '\n', '\r', '\r\n'),
  fc.constantFrom(...WS_CHARS),
  fc.constantFrom('巡', '视', '整', '改', 'a', '1', '一、', '（一）', '一是', '#', '- ', '> ', '```', '---', '𠀀', '\ud800'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
const arbitraryText = fc.array(piece, { maxLength: 60 }).map((a) => a.join(''));

function checkUnits(text: string, units: { start: number; end: number; text: string }[]): void {
  let prev = 0;
  for (const u of units) {
    expect(u.start).toBeGreaterThanOrEqual(prev);
    expect(u.end).toBeGreaterThan(u.start);
    expect(u.end).toBeLessThanOrEqual(text.length);
    expect(u.text).toBe(text.slice(u.start, u.end));
    expect(isUnitWhitespace(u.text[0]!)).toBe(false);
    expect(isUnitWhitespace(u.text[u.text.length - 1]!)).toBe(false);
    expect(u.text).not.toMatch(/[\r\n]/);
    prev = u.end;
  }
}

describe('unit properties (fast-check)', () => {
  it('splitUnits: ordered, non-overlapping, inside, exact slices, trimmed, non-empty', () => {
    fc.assert(
      fc.property(arbitraryText, (text) => {
        checkUnits(text, splitUnits(text));
      }),
      { numRuns: 500 },
    );
  });

  it('splitUnits cuts at every line end parseDocument reads in text, Unicode\'s other mandatory breaks included', () => {
    for (const sep of ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\f', '\v']) {
      const text = `甲。乙${sep}丙${sep}${sep}丁`;
      expect(splitUnits(text).map((u) => u.text)).toEqual(['甲。', '乙', '丙', '丁']);
      expect(parseDocument(text).units.map((u) => [u.start, u.end])).toEqual(splitUnits(text).map((u) => [u.start, u.end]));
    }
    expect(splitUnits('\v')).toEqual([]);
  });

  it('parseDocument never throws, for text and Markdown, and its units keep the invariants', () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom('text' as const, 'markdown' as const), (text, format) => {
        const doc = parseDocument(text, { format });
        checkUnits(text, doc.units);
        doc.units.forEach((u, i) => {
          expect(u.index).toBe(i);
          expect(u.id).toBe(`u${i}`);
        });
        for (const h of doc.headings) expect(h.text).toBe(text.slice(h.start, h.end));
        if (format === 'text') expect(doc.units.map((u) => [u.start, u.end])).toEqual(splitUnits(text).map((u) => [u.start, u.end]));
      }),
      { numRuns: 500 },
    );
  });
});

const DEV = join(SHARED_DIR, 'corpus/dev');
const haveDev = hasShared('corpus/dev');

describe('gold units of the dev corpus', () => {
  it.skipIf(!haveDev)('reproduces every start/end of every gold file', () => {
    const golds = readdirSync(DEV).filter((f) => f.endsWith('.gold.json'));
    expect(golds.length).toBeGreaterThan(0);
    let total = 0;
    for (const g of golds) {
      const gold = JSON.parse(readFileSync(join(DEV, g), 'utf8')) as { doc: string; units: { start: number; end: number; text: string }[] };
      const text = readFileSync(join(DEV, gold.doc), 'utf8');
      const doc = parseDocument(text);
      expect(doc.units.map((u) => [u.start, u.end]), g).toEqual(gold.units.map((u) => [u.start, u.end]));
      expect(doc.units.map((u) => u.text), g).toEqual(gold.units.map((u) => u.text));
      total += gold.units.length;
    }
    console.log(`[document] gold units reproduced: ${total} units in ${golds.length} files`);
  });
});
