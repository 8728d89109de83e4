import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCatchphrases } from '../src/catchphrases.js';
import { COUNTED_NOUNS, findCountedAfter, findCountedBefore, longestNounAt, overlapsSetPhrase, SET_PHRASES } from '../src/figures.js';
import { roundTo15 } from '../src/numbers.js';
import type { FactSink } from '../src/sink.js';

// The old implementations, kept as oracles for the fast paths that replaced them.
const oldRoundTo15 = (x: number): number => Number(x.toPrecision(15));

/** Figures as the readers compute them: integers and decimals times the scales of 万, 亿 and 万亿, and sums. */
const figureArb = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.integer({ min: -2e15, max: 2e15 }),
  fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(1, 1e4, 1e8, 1e12)).map(([v, s]) => v * s),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.nat(4), fc.constantFrom(1, 1e4, 1e8, 1e12)).map(([n, d, s]) => (n / 10 ** d) * s),
  fc.constantFrom(0, -0, 1e15, 1e15 - 1, -1e15, -(1e15 - 1), 2 ** 53, 2 ** 53 + 2, 0.1 + 0.2, 1.2 * 1e4, Infinity, -Infinity, NaN),
);

describe('roundTo15', () => {
  it('gives what Number(x.toPrecision(15)) gives, bit for bit (property)', () => {
    fc.assert(
      fc.property(figureArb, (x) => {
        expect(Object.is(roundTo15(x), oldRoundTo15(x)), String(x)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});


// The counted-noun lookups before their first- and last-code-unit gates (figures.ts).
const NOUNS = new Set(COUNTED_NOUNS);
const LONGEST = Math.max(...COUNTED_NOUNS.map((n) => n.length));
function oldLongestNounAt(text: string, pos: number): number {
  for (let len = Math.min(LONGEST, text.length - pos); len > 0; len--) if (NOUNS.has(text.slice(pos, pos + len))) return len;
  return 0;
}
function oldFindCountedBefore(text: string, pos: number): number {
  for (let len = Math.min(LONGEST, pos); len >= 2; len--) if (NOUNS.has(text.slice(pos - len, pos))) return pos - len;
  return -1;
}

describe('counted-noun lookups', () => {
  it('find the nouns they found before their gates, at every position (property)', () => {
    const pieces = [...COUNTED_NOUNS, ...COUNTED_NOUNS.map((n) => n.slice(0, -1)), ...COUNTED_NOUNS.map((n) => n.slice(1)), '名', '个', '3', '，', '违纪', '处级', '的', ''];
    const textArb = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((a) => a.join('')), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(textArb, (text) => {
        for (let pos = 0; pos <= text.length; pos++) {
          expect(longestNounAt(text, pos), `${text} @${pos}`).toBe(oldLongestNounAt(text, pos));
          expect(findCountedBefore(text, pos), `${text} @${pos}`).toBe(oldFindCountedBefore(text, pos));
        }
      }),
      { numRuns: 5000 },
    );
  });
});

// findCountedAfter and overlapsSetPhrase before their code-unit tables (figures.ts).
const OLD_MODIFIER_STOP = new Set('在未没被已都均也是有和与及对把将从向为并还又就等了给由于共其分各计累占达存发因所以且而或'.split(''));
function oldFindCountedAfter(text: string, pos: number): number {
  for (let p = pos; p <= pos + 4 && p < text.length; p++) {
    if (p > pos) {
      const c = text.charCodeAt(p - 1);
      if (!(c >= 0x4e00 && c <= 0x9fff) || OLD_MODIFIER_STOP.has(text[p - 1]!)) return -1;
    }
    if (OLD_MODIFIER_STOP.has(text[p]!)) return -1;
    const len = oldLongestNounAt(text, p);
    if (len > 1 || (len === 1 && p === pos)) {
      let end = p + len;
      for (let more = oldLongestNounAt(text, end); more > 0; more = oldLongestNounAt(text, end)) end += more;
      return end;
    }
  }
  return -1;
}
const OLD_BY_FIRST = new Map<number, string[]>();
for (const phrase of SET_PHRASES) OLD_BY_FIRST.set(phrase.charCodeAt(0), [...(OLD_BY_FIRST.get(phrase.charCodeAt(0)) ?? []), phrase]);
const MAX_PHRASE = Math.max(...SET_PHRASES.map((p) => p.length));
function oldOverlapsSetPhrase(text: string, start: number, end: number): boolean {
  for (let s = Math.max(0, start - MAX_PHRASE + 1); s < end; s++) {
    const phrases = OLD_BY_FIRST.get(text.charCodeAt(s));
    if (phrases === undefined) continue;
    for (const p of phrases) if (s + p.length > start && text.startsWith(p, s)) return true;
  }
  return false;
}

describe('count context lookups', () => {
  it('find the counted noun after a measure word and the set phrases around a count as before (property)', () => {
    const pieces = [
      ...COUNTED_NOUNS, ...SET_PHRASES, ...SET_PHRASES.map((p) => p.slice(0, -1)), ...SET_PHRASES.map((p) => p.slice(1)), '在', '被', '的', '违纪', '处级',
      '名', '个', '3', '，', 'a', '\ud800', '',
    ];
    const textArb = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map((a) => a.join('')), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(textArb, (text) => {
        for (let pos = 0; pos <= text.length; pos++) {
          expect(findCountedAfter(text, pos), `${text} @${pos}`).toBe(oldFindCountedAfter(text, pos));
          for (let end = pos; end <= Math.min(text.length, pos + 6); end++) {
            expect(overlapsSetPhrase(text, pos, end), `${text} [${pos}, ${end})`).toBe(oldOverlapsSetPhrase(text, pos, end));
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// findCatchphrases before its sentence ends were a code-unit table (catchphrases.ts).
const OLD_PAIRS = new Map([['“', '”'], ['「', '」'], ['『', '』'], ['‘', '’'], ['"', '"']].map(([o, c]) => [o!.charCodeAt(0), c!.charCodeAt(0)]));
const OLD_ENDS = new Set([...'。！？；!?;\n\r'].map((ch) => ch.charCodeAt(0)));
function oldFindCatchphrases(text: string, sink: FactSink): [number, number][] {
  const quoted: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.charCodeAt(i);
    const close = OLD_PAIRS.get(open);
    if (close === undefined) {
      i++;
      continue;
    }
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === close) {
        end = j;
        break;
      }
      if (c === open || OLD_ENDS.has(c)) break;
    }
    if (end < 0) {
      i++;
      continue;
    }
    const inner = text.slice(i + 1, end);
    quoted.push([i, end + 1]);
    const phrase = inner.trim();
    if (phrase.length > 1 && inner.length <= 20 && /[\p{L}\p{N}]/u.test(phrase) && !/^《[^《》]*》$/.test(phrase)) sink.add(i, end + 1, { kind: 'catchphrase', phrase });
    i = end + 1;
  }
  return quoted;
}

describe('findCatchphrases', () => {
  it('finds the quotations and catchphrases it found before (property)', () => {
    const pieces = ['“', '”', '「', '」', '『', '』', '‘', '’', '"', '两张皮', '四个意识', ' ', '。', '！', '？', '；', '!', '?', ';', '\n', '\r', '，', 'a', '1', '很长的一段引用文字超过二十个字符的样子啊啊啊', '查', '《意见》'];
    const textArb = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((a) => a.join('')), fc.string({ maxLength: 20 }));
    const run = (find: (text: string, sink: FactSink) => [number, number][], text: string): unknown => {
      const facts: unknown[] = [];
      const quoted = find(text, { add: (start, end, body) => void facts.push([start, end, body]) });
      return { quoted, facts };
    };
    fc.assert(
      fc.property(textArb, (text) => {
        expect(run(findCatchphrases, text)).toStrictEqual(run(oldFindCatchphrases, text));
      }),
      { numRuns: 5000 },
    );
  });
});
