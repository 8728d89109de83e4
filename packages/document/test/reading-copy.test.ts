import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPinyinGlosses as findGlosses } from '@xunshi/types';
import { parseDocument, readingCopy } from '../src/index.js';

const strip = (s: string): string => s.replace(/\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/g, '');

describe('inline pinyin glosses', () => {
  it('finds a toned reading right after a Chinese character', () => {
    const t = '黨委主體責(zé)任落實(shí)不到位,監(jiān)督不力。';
    expect(findGlosses(t).map((r) => t.slice(r.start, r.end))).toEqual(['(zé)', '(shí)', '(jiān)']);
  });

  it('leaves brackets that are not readings: no tone mark, not after a character, too long, capitals', () => {
    for (const t of ['中国共产党(CPC)章程', '见附件(a)。', '成立专班(zhuanban)', 'Beijing (jīng) 2024', '说明(ābcdefghi)', '（zé）全角括号']) {
      expect(findGlosses(t)).toEqual([]);
    }
    expect(readingCopy(parseDocument('没有注音的文本。'))).toBeUndefined();
  });

  it('keeps units and their order, maps their ranges onto the shorter text and back', () => {
    const source = '一、落實(shí)主體責(zé)任不到位\n有的黨委監(jiān)督不力。整改(gǎi)不徹底；';
    const doc = parseDocument(source);
    const gf = readingCopy(doc)!;
    expect(gf.glosses).toBe(4);
    expect(gf.doc.text).toBe(strip(source));
    expect(gf.doc.units.map((u) => u.text)).toEqual(doc.units.map((u) => strip(u.text)));
    gf.doc.units.forEach((u, i) => {
      expect(gf.doc.text.slice(u.start, u.end)).toBe(u.text);
      const [s, e] = gf.toSource(u.start, u.end);
      expect(s).toBe(doc.units[i]!.start);
      expect(strip(source.slice(s, e))).toBe(u.text);
    });
    // A heading path still names its heading after the glosses are gone.
    const heading = gf.doc.units[0]!;
    expect(heading.isHeading).toBe(true);
    expect(gf.doc.units.slice(1).map((u) => u.headingPath)).toEqual([[heading.text], [heading.text]]);
    expect(gf.doc.headings.map((h) => h.text)).toEqual([heading.text]);
    // A word range of the gloss-free text maps onto the source with the gloss inside it.
    const at = gf.doc.text.indexOf('責任');
    const [s, e] = gf.toSource(at, at + 2);
    expect(source.slice(s, e)).toBe('責(zé)任');
  });

  it('property: removing glosses gives back the text they were put into, and every range maps back around its words', () => {
    const han = fc.constantFrom('责', '任', '监', '督', '整', '改', '。', '；', '\n', '的', '不', '到', '位');
    const reading = fc.constantFrom('(zé)', '(rèn)', '(jiān)', '(dū)', '(zhěng)', '(gǎi)');
    const piece = fc.tuple(han, fc.option(reading, { freq: 3 }));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 60 }), (pieces) => {
        const plain = pieces.map(([c]) => c).join('');
        const source = pieces.map(([c, r]) => (r !== null && /[\u4e00-\u9fff]/.test(c) ? c + r : c)).join('');
        const doc = parseDocument(source);
        const gf = readingCopy(doc);
        if (!gf) {
          expect(source).toBe(plain);
          return;
        }
        expect(gf.doc.text).toBe(plain);
        expect(gf.doc.units.length).toBe(doc.units.length);
        for (let a = 0; a < plain.length; a += 3) {
          for (let b = a; b <= Math.min(plain.length, a + 7); b++) {
            const [s, e] = gf.toSource(a, b);
            expect(s).toBeLessThanOrEqual(e);
            expect(strip(source.slice(s, e))).toBe(plain.slice(a, b));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('Markdown inline markup (read past like glosses)', () => {
  const md = (s: string) => parseDocument(s, { format: 'markdown' });
  const marks = (s: string): string[] => (md(s).markup ?? []).map((r) => s.slice(r.start, r.end));

  it('finds emphasis, strong, link and image syntax, inline HTML, hard breaks and escapes; code spans and entities stay', () => {
    expect(marks('部分单位**违规发放**津补贴[18万元](http://x.cn/a "注")，*形式主义*问题突出。')).toEqual(['**', '**', '[', '](http://x.cn/a "注")', '*', '*']);
    expect(marks('有的干部\\*违规\\*收受礼金<span style="color:red">3万元</span>。')).toEqual(['\\', '\\', '<span style="color:red">', '</span>']);
    expect(marks('见图![示意图](a.png)。__加粗__。_斜体_。')).toEqual(['![示意图](a.png)', '__', '__', '_', '_']);
    // As CommonMark reads it: an underscore between two letters neither opens nor closes (so 加粗__与 is no emphasis).
    expect(marks('。__加粗__与')).toEqual([]);
    expect(marks('代码`a**b**`不动，&amp;也不动，2*3不是强调。')).toEqual([]);
    expect(marks('没有任何标记的一行。')).toEqual([]);
    // Table cells, headings and list items; indented code (prose in a report) is read as it is.
    expect(marks('# **一、**总体情况\n\n- 列表**加粗**项。\n\n| **问题** | 整改 |\n|---|---|\n| a | [b](c) |\n\n    缩进**原样**。\n')).toEqual(['**', '**', '**', '**', '**', '**', '[', '](c)']);
    // What lies between the texts of an HTML block's paragraph is tags.
    expect(marks('<div>\n<p>违规<b>发放</b>津补贴。</p>\n</div>\n')).toEqual(['<b>', '</b>']);
  });

  it('gives the engine the text without markup, with every range mapping back onto the source', () => {
    const source = '一、**存在**问题\n\n部分单位**违规发放**津补贴[18万元](http://x.cn/a)。\n';
    const doc = md(source);
    const gf = readingCopy(doc)!;
    expect(gf.glosses).toBe(0);
    expect(gf.markup).toBe(6);
    expect(gf.doc.text).toBe('一、存在问题\n\n部分单位违规发放津补贴18万元。\n');
    expect(gf.doc.markup).toBeUndefined();
    expect(gf.doc.units.map((u) => [u.text, u.headingPath])).toEqual([
      ['一、存在问题', []],
      ['部分单位违规发放津补贴18万元。', ['一、存在问题']],
    ]);
    const at = gf.doc.text.indexOf('违规发放津补贴');
    const [s, e] = gf.toSource(at, at + '违规发放津补贴'.length);
    expect(source.slice(s, e)).toBe('违规发放**津补贴');
  });

  it('reads a line of too many markers, and the lines past the document budget, as they are (with a diagnostic)', () => {
    expect(marks('**违规**，'.repeat(17))).toEqual([]);
    expect(marks('**违规**，'.repeat(16))).toHaveLength(32);
    const lines = Array.from({ length: 8000 }, (_, i) => `第${i}条**违规**。`);
    const doc = md(lines.join('\n\n'));
    const ranges = doc.markup!;
    // Every line up to the budget has its two ranges, none after.
    const cut = doc.diagnostics!.find((d) => d.code === 'XUNSHI_MARKDOWN_TOO_COMPLEX')!;
    const line = Number(/from line (\d+)/.exec(cut.message)![1]);
    expect(ranges.length).toBe(((line - 1) / 2) * 2);
    expect(ranges.length).toBeGreaterThan(9000);
    expect(md(lines.slice(0, 100).join('\n\n')).diagnostics).toBeUndefined();
  });

  it('property: markup ranges are sorted, disjoint, on units; without them every unit maps back inside its source range', () => {
    const piece = fc.constantFrom('违规', '发放', '。', '**', '*', '_', '__', '[', ']', '(', ')', '](u)', '<b>', '</b>', '\\', '`', '!', '\n', '\n\n', '一、', '- ', '| a | b |\n|---|---|\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const source = pieces.join('');
        const doc = md(source);
        const ranges = doc.markup ?? [];
        for (let i = 0; i < ranges.length; i++) {
          const r = ranges[i]!;
          expect(r.end).toBeGreaterThan(r.start);
          if (i > 0) expect(r.start).toBeGreaterThanOrEqual(ranges[i - 1]!.end);
          // Within the text of the units (an image ![](u) may run over the unit cut after its !).
          expect(doc.units.some((u) => u.start < r.end && r.start < u.end)).toBe(true);
          expect(r.end).toBeLessThanOrEqual(source.length);
        }
        const gf = readingCopy(doc);
        if (!gf) return;
        expect(gf.doc.units.length).toBe(doc.units.length);
        gf.doc.units.forEach((u, i) => {
          expect(gf.doc.text.slice(u.start, u.end)).toBe(u.text);
          const [s, e] = gf.toSource(u.start, u.end);
          if (u.end > u.start) {
            expect(s).toBeGreaterThanOrEqual(doc.units[i]!.start);
            expect(e).toBeLessThanOrEqual(doc.units[i]!.end);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
