import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPinyinGlosses as findGlosses } from '@xunshi/types';
import { parseDocument, withoutGlosses } from '../src/index.js';

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
    expect(withoutGlosses(parseDocument('没有注音的文本。'))).toBeUndefined();
  });

  it('keeps units and their order, maps their ranges onto the shorter text and back', () => {
    const source = '一、落實(shí)主體責(zé)任不到位\n有的黨委監(jiān)督不力。整改(gǎi)不徹底；';
    const doc = parseDocument(source);
    const gf = withoutGlosses(doc)!;
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
        const gf = withoutGlosses(doc);
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
