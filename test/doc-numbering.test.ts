import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectEnumeration } from '../packages/document/src/index.js';
import { createAnalyzer, type Report } from 'xunshi';
import { makeWordBinary } from '../packages/document/test/support/fixtures.js';
import { NFC, makeNumberedWordBinary, type WordListOverride, type WordParagraph, type WordStyle } from '../packages/document/test/support/word-lists.js';
import { outline } from './support/outline.js';
import { REPO_DIR } from './support/shared.js';

/** The project's own sample reports (never third-party text), as in formats.test.ts. */
const SAMPLES = ['tuning/feedback-02.txt', 'tuning/rectification-01.txt', 'tuning/analysis-01.txt', 'held-out/feedback-h01.txt'];


/** A 公文's multilevel list in Word: the marker each level writes, its number format (nfc) and its level text. */
const LIST_LEVELS = [
  { marker: /^[一二三四五六七八九十]+、$/, nfc: NFC.chineseCounting, text: '%1、' },
  { marker: /^（[一二三四五六七八九十]+）$/, nfc: NFC.chineseCounting, text: '（%2）' },
  { marker: /^[0-9]+\.$/, nfc: NFC.decimal, text: '%3.' },
  { marker: /^（[0-9]+）$/, nfc: NFC.decimal, text: '（%4）' },
];

/**
 * The report as a .doc with Word's automatic numbering: each line that starts with 一、 （一） 1. or （1） is a
 * paragraph of one multilevel list (LFO 1) without its typed number. `linked`: heading lines take the number from their
 * heading style (istd 1–4, linked to the list's levels as Word's multilevel list dialog writes them), other headings
 * of those styles take ilfo 0; otherwise each numbered paragraph has its own sprmPIlfo/sprmPIlvl. Where the typed
 * number is not the one Word would count, a new LFO with a start-at override sets it ("Set Numbering Value").
 */
function numberedDoc(text: string, linked: boolean): { bytes: Uint8Array; numbered: number } {
  const overrides: WordListOverride[] = [{ lsid: 1 }];
  let ilfo = 1;
  let numbered = 0;
  const counters: (number | undefined)[] = [];
  const paragraphs = outline(text).map((l): WordParagraph => {
    const line = l.line.trim();
    const e = detectEnumeration(line);
    const level = e ? LIST_LEVELS.findIndex((d) => d.marker.test(e.marker)) : -1;
    const styled = linked && l.level !== undefined && l.level <= 4 ? { istd: l.level } : {};
    if (!e || level < 0) return linked && styled.istd ? { text: line, ...styled, ilfo: 0 } : { text: l.line };
    numbered++;
    const counted = (counters[level] ?? 0) + 1;
    counters[level] = e.ordinal;
    counters.length = level + 1;
    let own = false;
    if (counted !== e.ordinal) {
      overrides.push({ lsid: 1, levels: [{ ilvl: level, startAt: e.ordinal }] });
      ilfo = overrides.length;
      own = true;
    }
    const rest = line.slice(e.marker.length);
    if (linked && l.level === level + 1 && !own) return { text: rest, istd: level + 1 };
    return { text: rest, ...styled, ilfo, ilvl: level };
  });
  const styles: WordStyle[] = linked ? LIST_LEVELS.map((_, i) => ({ istd: i + 1, ilfo: 1, ilvl: i })) : [];
  const levels = LIST_LEVELS.map((l, i) => ({ text: l.text, nfc: l.nfc, ...(linked ? { style: i + 1 } : {}) }));
  return { bytes: makeNumberedWordBinary(paragraphs, { lists: [{ lsid: 1, levels }], overrides, styles }), numbered };
}

/** What must not change between formats: each unit's text, function, categories and root causes. */
function labels(report: Report): string[] {
  return report.passages.map((p) => [p.text, p.function, p.categories.map((c) => c.subcategory ?? c.id).join(','), p.rootCauses.map((r) => r.id).join(',')].join(' | '));
}

describe('a sample report as a Word 97 .doc with automatic numbering', () => {
  const analyzer = createAnalyzer();
  for (const sample of SAMPLES) {
    it(`${sample}: the units, heading paths and labels of its .txt`, async () => {
      const bytes = readFileSync(`${REPO_DIR}corpus/${sample}`);
      const text = new TextDecoder().decode(bytes);
      const txt = await analyzer.analyzeAsync(bytes, { path: 'r.txt' });
      const expected = labels(txt);
      expect(expected.length).toBeGreaterThan(10);
      const typed = await analyzer.analyzeAsync(makeWordBinary(outline(text).map((l) => l.line)), { path: 'r.doc' });
      for (const linked of [false, true]) {
        const doc = numberedDoc(text, linked);
        if (/^\s*[一二三]、/m.test(text)) expect(doc.numbered).toBeGreaterThan(2);
        const numbered = await analyzer.analyzeAsync(doc.bytes, { path: 'n.doc' });
        expect(numbered.source.format).toBe('doc');
        expect(labels(numbered)).toEqual(expected);
        expect(numbered.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
        expect(numbered.source.text).toBe(typed.source.text);
        expect(numbered.diagnostics).toEqual(typed.diagnostics);
      }
    });
  }

  it('a damaged list table: the report is made all the same, without the numbers, with XUNSHI_DOC_NUMBERING_DAMAGED', async () => {
    const bytes = makeNumberedWordBinary(['关于整改情况的报告', { text: '总体情况', ilfo: 1 }, '党委高度重视，整改工作全面推进。'], {
      lists: [{ lsid: 1, simple: true, levels: [{ text: '%1、', nfc: NFC.chineseCounting }] }],
      overrides: [{ lsid: 1 }],
      mutate: ({ table, plfLst }) => table.writeInt16LE(300, plfLst),
    });
    const report = await analyzer.analyzeAsync(bytes, { path: 'n.doc' });
    expect(report.diagnostics.map((d) => d.code)).toContain('XUNSHI_DOC_NUMBERING_DAMAGED');
    expect(report.passages.map((p) => p.text)).toContain('总体情况');
  });
});
