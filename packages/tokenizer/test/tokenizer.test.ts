import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMatchingCopy, hasCutLengths, segment, segmentColumns, setCutLengths, type Lexicon } from '@xunshi/tokenizer';
import type { Range, Token } from '@xunshi/types';

describe('createMatchingCopy', () => {
  it('converts traditional to simplified and full-width to half-width, keeping every offset', () => {
    const src = '巡視發現，黨員ＡＢ１２％\u3000不足';
    const { normalized, script } = createMatchingCopy(src);
    expect(normalized).toBe('巡视发现,党员AB12% 不足'); // the full-width comma is full-width ASCII too
    expect(normalized.length).toBe(src.length);
    expect(script).toBe('traditional');
  });
  it('reads Kangxi radicals and compatibility ideographs as the ideographs they stand for (PDF fonts give ⼈ for 人), keeping every offset', () => {
    const src = '领导⼲部存在圈⼦⽂化，“三重⼀⼤”，處理20⼈，\uf902輛';
    const { normalized, script } = createMatchingCopy(src);
    expect(normalized).toBe('领导干部存在圈子文化,“三重一大”,处理20人,车辆');
    expect(normalized.length).toBe(src.length);
    expect(script).toBe('traditional');
    // A compatibility ideograph whose unified form is outside the BMP stays as written (the length must not change).
    expect(createMatchingCopy('\ufa6c').normalized).toBe('\ufa6c');
  });
  it('leaves simplified text alone and says so', () => {
    const src = '巡视发现,党员发展不规范。';
    expect(createMatchingCopy(src)).toEqual({ normalized: src, script: 'simplified' });
  });
  it('always keeps the length (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => createMatchingCopy(s).normalized.length === s.length));
  });
  it('changes a code unit only by conversion or width folding, keeping unpaired surrogates and every other unit (property)', () => {
    const unit = fc.oneof(
      fc.constantFrom('發', '現', '黨', '巡', '视', '，', '％', 'Ａ', '\u3000', '\ud800', '\udc00', 'a', '(', ')', '\n'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }), (units) => {
        const s = units.join('');
        const { normalized } = createMatchingCopy(s);
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          const d = normalized.charCodeAt(i);
          if (d === c || d === 0x2060) continue; // unchanged, or a pinyin gloss hidden
          if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0x2e80 && c <= 0x2fdf) || (c >= 0xf900 && c <= 0xfaff)) expect(d >= 0x3400 && d <= 0x9fff).toBe(true);
          else expect(d).toBe(c === 0x3000 ? 0x20 : c - 0xfee0);
        }
      }),
      { numRuns: 300 },
    );
    expect(createMatchingCopy('\ud800發，').normalized).toBe('\ud800发,');
  });
});

/** `text` cut into consecutive ranges at the points `cuts` (modulo its length + 1), each point moved by `adjust`. */
function rangesAt(text: string, cuts: readonly number[], adjust: (p: number) => number = (p) => p): Range[] {
  const points = [...new Set(cuts.map((c) => adjust(c % (text.length + 1))))].sort((a, b) => a - b);
  const ranges: Range[] = [];
  let from = 0;
  for (const p of [...points, text.length]) {
    if (p > from) ranges.push({ start: from, end: p });
    from = p;
  }
  return ranges;
}

describe('segment', () => {
  // The segmenter receives the lexicon as a value (@xunshi/rules reads and checks it); nodejieba loads its files.
  const lexicon: Lexicon = { files: [join(import.meta.dirname, '../../../rules/lexicon/domain.txt')], entries: [], hash: 'shipped-domain', size: 0 };
  it('gives tokens whose ranges reproduce the text, and keeps lexicon words whole', () => {
    const text = '严格执行“三重一大”决策制度，坚决反对圈子文化。';
    const tokens = segment(text, [{ start: 0, end: text.length }], lexicon);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(tokens.map((t) => t.text)).toContain('三重一大');
    expect(tokens.map((t) => t.text)).toContain('圈子文化');
  });
  it('segments only the given ranges, with offsets into the whole text', () => {
    const text = '第一段。\n党费收缴不规范。';
    const tokens = segment(text, [{ start: 5, end: text.length }], lexicon);
    expect(tokens[0]!.start).toBe(5);
    expect(tokens.every((t) => t.start >= 5 && text.slice(t.start, t.end) === t.text)).toBe(true);
  });
  it('cuts words across the fillers of a hidden pinyin gloss as if the gloss were not there', () => {
    const { normalized } = createMatchingCopy('基层形式主义现(xiàn)象并不鲜见,要实(shí)事求是。');
    const tokens = segment(normalized, [{ start: 0, end: normalized.length }], lexicon);
    const words = tokens.map((t) => t.text);
    expect(words).toContain('现象');
    expect(words).toContain('实事求是');
    for (const t of tokens) expect(normalized.slice(t.start, t.end).replaceAll('\u2060', '')).toBe(t.text);
    const word = tokens.find((t) => t.text === '现象')!;
    expect(normalized[word.start]).toBe('现');
    expect(normalized[word.end - 1]).toBe('象');
  });
  it('gives tokens that are their range with fillers removed, in order and without overlap (property)', () => {
    const piece = fc.constantFrom('巡视', '整改', '不到位', '\u2060', '\u2060\u2060', ',', ' ', '形式主义', '发现', 'a');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const tokens = segment(text, [{ start: 0, end: text.length }], lexicon);
        let last = 0;
        for (const t of tokens) {
          expect(t.start).toBeGreaterThanOrEqual(last);
          expect(t.end).toBeGreaterThan(t.start);
          expect(text.slice(t.start, t.end).replaceAll('\u2060', '')).toBe(t.text);
          expect(text[t.start]).not.toBe('\u2060');
          expect(text[t.end - 1]).not.toBe('\u2060');
          last = t.end;
        }
        expect(tokens.map((t) => t.text).join('')).toBe(text.replace(/[\u2060\s]/g, ''));
      }),
      { numRuns: 200 },
    );
  });
  it('writes as columns the tokens it gives as objects, and those the per-token loop it replaced gave (property)', () => {
    // The loop before the columns: a token object per word, white space dropped with trim(), over the same addon
    // instance (its dictionary loaded by the calls above).
    const jieba = createRequire(import.meta.resolve('@xunshi/tokenizer'))('nodejieba') as { cut(text: string, hmm: boolean): string[] };
    const reference = (text: string, ranges: readonly Range[]): Token[] => {
      const out: Token[] = [];
      for (const r of ranges) {
        const raw = text.slice(r.start, r.end);
        const kept: number[] = [];
        for (let i = 0; i < raw.length; i++) if (raw[i] !== '\u2060') kept.push(i);
        const hasFiller = raw.includes('\u2060');
        const piece = hasFiller ? raw.replaceAll('\u2060', '') : raw;
        if (!piece) continue;
        let pos = 0;
        for (const w of jieba.cut(piece, false)) {
          const at = piece.startsWith(w, pos) ? pos : piece.indexOf(w, pos);
          if (at < 0) continue;
          pos = at + w.length;
          if (w.trim() === '') continue;
          out.push(hasFiller ? { start: r.start + kept[at]!, end: r.start + kept[pos - 1]! + 1, text: w } : { start: r.start + at, end: r.start + pos, text: w });
        }
      }
      return out;
    };
    const piece = fc.constantFrom('巡视', '整改', '不到位', '\u2060', ',', ' ', '\u3000', '\ufeff', '\u00a0', '\t', '\n', '　整改', '形式主义', 'a', '发现');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 4 }), (parts, cuts) => {
        const text = parts.join('');
        const ranges = rangesAt(text, cuts);
        const cols = segmentColumns(text, ranges, lexicon);
        const objects = segment(text, ranges, lexicon);
        expect(cols.count).toBe(objects.length);
        expect(objects).toEqual(Array.from({ length: cols.count }, (_, i) => ({ start: cols.starts[i], end: cols.ends[i], text: cols.texts[i] })));
        expect(objects).toEqual(reference(text, ranges));
      }),
      { numRuns: 200 },
    );
  });

  // The project's patch of nodejieba adds cutLengths (the words of cut(text, false) as UTF-16 lengths, no string per
  // word); segmentation uses it where it is there and cut where not (an unpatched nodejieba).
  it('uses the patched cutLengths in this workspace (the patch is applied at install)', () => {
    segment('巡视', [{ start: 0, end: 2 }], lexicon);
    expect(hasCutLengths()).toBe(true);
  });
  it('gives with cutLengths the words cut(text, false) gives, for any well-formed text (property)', () => {
    const jieba = createRequire(import.meta.resolve('@xunshi/tokenizer'))('nodejieba') as { cut(text: string, hmm: boolean): string[]; cutLengths(text: string): Uint32Array };
    segment('巡视', [{ start: 0, end: 2 }], lexicon);
    const unit = fc.oneof(
      fc.constantFrom('巡视', '整改', '不到位', '三重一大', '圈子文化', '，', '。', ' ', '\t', '\n', '\r', '\u3000', '\u00a0', '😀', '𠀀', 'ab', '12', '%', '\u0000', '\ufeff'),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 4 }), (parts, cuts) => {
        const text = parts.join('');
        const lengths = [...jieba.cutLengths(text)];
        expect(lengths).toEqual(jieba.cut(text, false).map((w) => w.length));
        // Ranges never split a surrogate pair (that would make unpaired surrogates: see the next test).
        const ranges = rangesAt(text, cuts, (p) => (p > 0 && p < text.length && /[\ud800-\udbff]/.test(text[p - 1]!) ? p + 1 : p));
        const withLengths = segmentColumns(text, ranges, lexicon);
        setCutLengths(false);
        try {
          const withCut = segmentColumns(text, ranges, lexicon);
          expect({ ...withLengths, starts: [...withLengths.starts.subarray(0, withLengths.count)], ends: [...withLengths.ends.subarray(0, withLengths.count)] }).toEqual({
            ...withCut,
            starts: [...withCut.starts.subarray(0, withCut.count)],
            ends: [...withCut.ends.subarray(0, withCut.count)],
          });
        } finally {
          setCutLengths(true);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('keeps an unpaired surrogate in a token of its own where cut drops it', () => {
    // nodejieba receives text as UTF-8, where an unpaired surrogate becomes U+FFFD: cut's word is then not in the text
    // (dropped), while a length of one code unit still says where it is.
    const text = '巡视\ud800整改';
    const tokens = segment(text, [{ start: 0, end: text.length }], lexicon);
    expect(tokens.map((t) => t.text)).toEqual(['巡视', '\ud800', '整改']);
    expect(tokens.map((t) => [t.start, t.end])).toEqual([[0, 2], [2, 3], [3, 5]]);
  });
});
