// The plain Chinese numerals read without Microsoft Recognizers-Text must read exactly as the recognizer reads them:
// every string of up to three numeral characters, and every longer string of the plain forms, compared one by one.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type * as Recognizers from '@microsoft/recognizers-text-number';
import { CN_NUMERAL_CHARS, parsePlainChineseNumeral } from '../src/numbers.js';

const lib = createRequire(import.meta.url)('@microsoft/recognizers-text-number') as typeof Recognizers;
const model = new lib.NumberRecognizer(lib.Culture.Chinese).getNumberModel();
function recognize(text: string): number | undefined {
  const results = model.parse(text);
  if (results.length !== 1) return undefined;
  const r = results[0]!;
  if (r.start !== 0 || r.end !== text.length - 1) return undefined;
  const value = Number((r.resolution as { value?: unknown }).value);
  return Number.isFinite(value) ? value : undefined;
}

function mismatches(strings: Iterable<string>): { text: string; plain: number; recognizer: number | undefined }[] {
  const out = [];
  for (const text of strings) {
    const plain = parsePlainChineseNumeral(text);
    if (plain === undefined) continue;
    const recognizer = recognize(text);
    if (plain !== recognizer) out.push({ text, plain, recognizer });
  }
  return out;
}

describe('plain Chinese numerals', () => {
  it('reads every string of up to three numeral characters as the recognizer does, where it reads one', () => {
    const chars = [...CN_NUMERAL_CHARS];
    const all: string[] = [...chars];
    for (const a of chars) for (const b of chars) all.push(a + b);
    for (const a of chars) for (const b of chars) for (const c of chars) all.push(a + b + c);
    expect(mismatches(all)).toEqual([]);
    // The common ones are read without the recognizer at all.
    expect(['一', '两', '十', '十五', '二十', '一百', '三千', '零'].map(parsePlainChineseNumeral)).toEqual([1, 2, 10, 15, 20, 100, 3000, 0]);
  }, 120_000);

  it('reads every longer numeral of the plain forms as the recognizer does', () => {
    const digits = [...'一二三四五六七八九'];
    const thousands = ['', ...[...digits, '两'].map((d) => `${d}千`)];
    const hundreds = ['', ...[...digits, '两'].flatMap((d) => [`${d}百`, `零${d}百`])];
    const tens = ['', '十', '零十', ...digits.flatMap((d) => [`${d}十`, `零${d}十`])];
    const units = ['', ...digits.flatMap((d) => [d, `零${d}`])];
    const long: string[] = [];
    for (const t of thousands) for (const h of hundreds) for (const te of tens) for (const u of units) {
      const s = t + h + te + u;
      if (s.length > 3) long.push(s);
    }
    expect(long.filter((s) => parsePlainChineseNumeral(s) !== undefined).length).toBeGreaterThan(1000);
    expect(mismatches(long)).toEqual([]);
    expect(parsePlainChineseNumeral('一千零一十')).toBe(1010);
    expect(parsePlainChineseNumeral('九千九百九十九')).toBe(9999);
  }, 120_000);
});
