import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFactExtractor, type UnitTypeList } from '../src/index.js';
import { SHIPPED_UNIT_TYPES } from './support/unit-types.js';
import {
  acceptPartAnchor, AMOUNT_GATE, AMOUNT_RUN, AMOUNT_SOURCE, AMOUNT_STARTS, COUNT_RUN, COUNT_SOURCE, PART_ANCHORS, PART_SOURCE, PART_STARTS,
  RATIO_GATE, RATIO_RUN, RATIO_SOURCE, RATIO_STARTS,
} from '../src/figures.js';
import { CONGRESS_GATE, CONGRESS_SOURCE, CONGRESS_STARTS, DURATION_GATE, DURATION_RUN, DURATION_SOURCE, DURATION_STARTS } from '../src/periods.js';
import { indexRanges } from '../src/ranges.js';
import { compileAnchoredPattern, compileScanPattern, scanAnchored, scanMatches, type ScanGate } from '../src/scan.js';
import { compileUnitTypes } from '../src/unit-type-matcher.js';
import type { FactSink } from '../src/sink.js';

const extractor = createFactExtractor({ unitTypes: SHIPPED_UNIT_TYPES });

const PIECES = [
  '0', '1', '18', '2019', '2022', '.', ',', '-', '~', '至', '到', '万', '亿', '元', '%', '年', '月', '日', '个', '名', '起', '件',
  '余', '多', '几', '数', '近', '约', '超', '不足', '超过', '不超过', '以上', '左右', '一', '二', '两', '十', '百', '千', '百分之',
  '点', '第', '同比', '环比', '下降', '增长', '达', '为', '工作日', '个月', '连续', '最近', '以来', '内', '间', '某', '县', '村',
  '市直单位', '四个意识', '干部', '问题', '“', '”', '。', '\n', ' ', '𠀀', '成', '分之', '半数', '一半', '过半', '三', '五', '七八', '群', '左右', '占', '经过', '半年',
  '党的', '中共', '十八', '十九', '二十', '大', '届', '中全会', '召开', '之前', '至今',
];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((a) => a.join(''));

const PARAGRAPH = [
  '2022年9月16日至10月18日，省委第三巡视组对某市直单位开展了常规巡视，发现问题线索39件，涉及12名干部。',
  '经查，该单位违规发放津贴补贴180余万元，同比下降15%，其中3个村的集体资金不足20%用于民生。',
  '部分干部“两张皮”问题突出，落实“四个意识”和八项规定精神不到位，连续6个月未召开党委会议。',
  '截至2025年11月底，已整改问题二十三个，追缴资金7.132万元，15个工作日内完成了「一言堂」问题的整改。',
  '党的十八大以来，近三成的村违规支出3万元至5万元，20%-30%的项目超期，三五名干部受到处理。',
].join('');

describe('scanning equals matchAll', () => {
  // Each pattern as the extractor compiles it: with its gate (a start that is only a lead-in is tried when the number
  // follows within reach; a text without what every match holds is not scanned), and without.
  const patterns: [string, string, readonly string[], ScanGate | undefined][] = [
    ['amount', AMOUNT_SOURCE, AMOUNT_STARTS, undefined],
    ['count', COUNT_SOURCE, AMOUNT_STARTS, undefined],
    ['ratio', RATIO_SOURCE, RATIO_STARTS, undefined],
    ['duration', DURATION_SOURCE, DURATION_STARTS, undefined],
    ['gated amount', AMOUNT_SOURCE, AMOUNT_STARTS, { ...AMOUNT_GATE, required: ['元'] }],
    ['gated count', COUNT_SOURCE, AMOUNT_STARTS, AMOUNT_GATE],
    ['gated ratio', RATIO_SOURCE, RATIO_STARTS, RATIO_GATE],
    ['gated duration', DURATION_SOURCE, DURATION_STARTS, DURATION_GATE],
    // As the extractor compiles them: a start is tried only when its run of lead-in and numerals ends at 元, a measure
    // word or a unit.
    ['run-gated amount', AMOUNT_SOURCE, AMOUNT_STARTS, { ...AMOUNT_GATE, required: ['元'], ...AMOUNT_RUN }],
    ['run-gated count', COUNT_SOURCE, AMOUNT_STARTS, { ...AMOUNT_GATE, ...COUNT_RUN }],
    ['run-gated duration', DURATION_SOURCE, DURATION_STARTS, { ...DURATION_GATE, ...DURATION_RUN }],
    ['run-gated ratio', RATIO_SOURCE, RATIO_STARTS, { ...RATIO_GATE, ...RATIO_RUN }],
    ['congress', CONGRESS_SOURCE, CONGRESS_STARTS, undefined],
    ['gated congress', CONGRESS_SOURCE, CONGRESS_STARTS, CONGRESS_GATE],
  ];
  const summarize = (ms: Iterable<RegExpExecArray>): unknown[] => [...ms].map((m) => [m.index, m[0], { ...m.groups }]);
  /** `scan` finds what a global RegExp of `source` finds, on the paragraph (at least once) and on random texts. */
  const expectSameAsMatchAll = (source: string, scan: (text: string) => RegExpExecArray[], numRuns: number): void => {
    const global = new RegExp(source, 'g');
    expect(summarize(scan(PARAGRAPH))).toEqual(summarize(PARAGRAPH.matchAll(global)));
    expect(scan(PARAGRAPH).length).toBeGreaterThan(0);
    fc.assert(
      fc.property(textArb, (text) => {
        expect(summarize(scan(text))).toEqual(summarize(text.matchAll(global)));
      }),
      { numRuns },
    );
  };
  for (const [name, source, starts, gate] of patterns) {
    it(`finds the same ${name} matches as a global RegExp`, () => {
      const pattern = compileScanPattern(source, starts, '', gate);
      expectSameAsMatchAll(source, (text) => scanMatches(text, pattern), 1000);
    });
  }

  // Parts (三成, 三分之一, 过半) are tried only just before an anchor (成, 分, 半), with and without the check of its
  // neighbours.
  for (const accept of [acceptPartAnchor, undefined]) {
    it(`finds the same part matches as a global RegExp, trying starts before anchors${accept ? ' that fit' : ''}`, () => {
      const pattern = compileAnchoredPattern(PART_SOURCE, PART_STARTS, PART_ANCHORS.anchors, PART_ANCHORS.before, accept);
      expectSameAsMatchAll(PART_SOURCE, (text) => scanAnchored(text, pattern), 1500);
    });
  }

  it('tries a part that begins with 0 (0分之0: a start the property test met only now and then)', () => {
    const pattern = compileAnchoredPattern(PART_SOURCE, PART_STARTS, PART_ANCHORS.anchors, PART_ANCHORS.before, acceptPartAnchor);
    for (const text of ['0分之0', '共05分之1', '十0分之3']) expect(summarize(scanAnchored(text, pattern)), text).toEqual(summarize(text.matchAll(new RegExp(PART_SOURCE, 'g'))));
  });

  it('tries starts only within `before` of an anchor (the distance matters)', () => {
    const short = compileAnchoredPattern(PART_SOURCE, PART_STARTS, PART_ANCHORS.anchors, 2, acceptPartAnchor);
    const full = compileAnchoredPattern(PART_SOURCE, PART_STARTS, PART_ANCHORS.anchors, PART_ANCHORS.before, acceptPartAnchor);
    expect(scanAnchored('同比下降不超过三分之一', full).map((m) => m[0])).toEqual(['同比下降不超过三分之一']);
    expect(scanAnchored('同比下降不超过三分之一', short).map((m) => m[0])).toEqual(['三分之一']);
  });

  it('tries a lead-in only when the number follows within reach (the reach matters)', () => {
    const short = compileScanPattern(RATIO_SOURCE, RATIO_STARTS, '', { ...RATIO_GATE, reach: 2 });
    const full = compileScanPattern(RATIO_SOURCE, RATIO_STARTS, '', RATIO_GATE);
    expect(scanMatches('同比下降不超过15%', full).map((m) => m[0])).toEqual(['同比下降不超过15%']);
    expect(scanMatches('同比下降不超过15%', short).map((m) => m[0])).toEqual(['超过15%']);
  });

  it('tries a start only when its run of lead-in and numerals ends at what every match holds (the run matters)', () => {
    const text = '进一步统一思想，一些单位上下不到位，大多数问题多次整改，三五成群，近两年来共查处案件12起、涉案金额3万元。';
    const figures = (gate: ScanGate): [string[], number] => {
      const pattern = compileScanPattern(COUNT_SOURCE, AMOUNT_STARTS, '', gate);
      let tried = 0;
      const exec = pattern.re.exec.bind(pattern.re);
      pattern.re.exec = (s: string) => (tried++, exec(s));
      return [scanMatches(text, pattern).map((m) => m[0]), tried];
    };
    const [withRun, triedWithRun] = figures({ ...AMOUNT_GATE, ...COUNT_RUN });
    const [without, triedWithout] = figures(AMOUNT_GATE);
    expect(withRun).toEqual(['12起']);
    expect(without).toEqual(withRun);
    // Only the starts of 12起 are tried (1, then 2 inside its match is skipped), against every numeral and lead-in.
    expect(triedWithRun).toBe(1);
    expect(triedWithout).toBeGreaterThan(10);
    // A run that leaves out a code unit of the lead-in loses the matches that have it.
    const narrow = compileScanPattern(COUNT_SOURCE, AMOUNT_STARTS, '', { ...AMOUNT_GATE, runOf: COUNT_RUN.runOf.replace('近', ''), stop: COUNT_RUN.stop });
    const full = compileScanPattern(COUNT_SOURCE, AMOUNT_STARTS, '', { ...AMOUNT_GATE, ...COUNT_RUN });
    expect(scanMatches('共近百名干部', full).map((m) => m[0])).toEqual(['近百名']);
    expect(scanMatches('共近百名干部', narrow).map((m) => m[0])).toEqual(['百名']);
  });

  it('finds every form of figure with the run gate that a global RegExp finds', () => {
    const forms = [
      '1,234.5万元', '共1,200名干部', '3元至5万元', '万余元', '百余名', '十几个', '数十万元', '两三个', '上百万元', '7.5万元', '3-5名', '10~20家',
      '一千多万元', '180余万元', '不超过3万元以上', '约2亿元左右', '5万余元', '1—2个月', '连续6个月', '近两年来', '一个多月', '仅用15个工作日',
      '3.5天', '过去十年间', '两个星期', '超过1,000元', '逾百人次', '近万名', '二〇二二年', '15%', '15 %', '15\u3000%', '20%-30%', '20-30%',
      '20 %~30 %', '同比下降15.5%', '不足1,000%', '百分之二十', '环比增长百分之十二点五', '百分之二十至三十', '近百分之五十', '1,2%',
    ];
    const gated: [string, readonly string[], ScanGate][] = [
      [AMOUNT_SOURCE, AMOUNT_STARTS, { ...AMOUNT_GATE, required: ['元'], ...AMOUNT_RUN }],
      [COUNT_SOURCE, AMOUNT_STARTS, { ...AMOUNT_GATE, ...COUNT_RUN }],
      [DURATION_SOURCE, DURATION_STARTS, { ...DURATION_GATE, ...DURATION_RUN }],
      [RATIO_SOURCE, RATIO_STARTS, { ...RATIO_GATE, ...RATIO_RUN }],
    ];
    for (const [source, starts, gate] of gated) {
      const pattern = compileScanPattern(source, starts, '', gate);
      for (const form of forms) {
        const text = `共${form}，其中${form}。`;
        expect(summarize(scanMatches(text, pattern)), text).toEqual(summarize(text.matchAll(new RegExp(source, 'g'))));
      }
    }
  });

  it('holds in the run of a percentage every code unit that \\s matches', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (/\s/.test(ch)) expect(RATIO_RUN.runOf.includes(ch), c.toString(16)).toBe(true);
    }
  });

  it('refuses a gate whose stop code unit is also in the run', () => {
    expect(() => compileScanPattern(COUNT_SOURCE, AMOUNT_STARTS, '', { ...AMOUNT_GATE, runOf: `${COUNT_RUN.runOf}名`, stop: COUNT_RUN.stop })).toThrow(/both in the run and a stop/);
  });

  it('misses matches that begin with a code unit left out of the start table (the table matters)', () => {
    const pattern = compileScanPattern(AMOUNT_SOURCE, ['1']);
    expect(scanMatches('共2万元，约1万元', pattern).map((m) => m[0])).toEqual(['1万元']);
  });
});

describe('range index', () => {
  const rangeArb = fc.tuple(fc.nat(60), fc.nat(10)).map(([s, len]): [number, number] => [s, s + len]);
  it('answers overlap and enclosure like a linear scan', () => {
    fc.assert(
      fc.property(fc.array(rangeArb, { maxLength: 20 }), rangeArb, (ranges, [s, e]) => {
        const index = indexRanges(ranges);
        expect(index.overlaps(s, e)).toBe(ranges.some(([a, b]) => a < e && b > s));
        expect(index.encloses(s, e)).toBe(ranges.some(([a, b]) => a < s && e < b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unit-type trie', () => {
  // The matcher as it was before the trie (every length at every position): the trie must agree with it.
  function findByLengths(list: UnitTypeList, text: string): [number, number, string][] {
    const free = new Map<string, string>();
    const bound = new Map<string, string>();
    for (const t of list.types) {
      for (const term of t.terms) free.set(term, t.id);
      for (const term of t.boundTerms) bound.set(term, t.id);
    }
    const maxLen = Math.max(0, ...[...free.keys(), ...bound.keys()].map((k) => k.length));
    const dets = [...list.determiners].sort((a, b) => b.length - a.length);
    const detBefore = (pos: number): string | undefined => dets.find((d) => d.length <= pos && text.startsWith(d, pos - d.length));
    const out: [number, number, string][] = [];
    let i = 0;
    while (i < text.length) {
      let hit: { len: number; id: string } | undefined;
      for (let len = Math.min(maxLen, text.length - i); len > 0 && hit === undefined; len--) {
        const s = text.slice(i, i + len);
        const f = free.get(s);
        const b = bound.get(s);
        if (f !== undefined) hit = { len, id: f };
        else if (b !== undefined && (detBefore(i) !== undefined || '个家所座些'.includes(text[i - 1] ?? '-'))) hit = { len, id: b };
      }
      if (hit === undefined) {
        i++;
        continue;
      }
      const det = detBefore(i);
      out.push([det === undefined ? i : i - det.length, i + hit.len, hit.id]);
      i += hit.len;
    }
    return out;
  }
  const chars = ['县', '村', '市', '直', '单', '位', '某', '该', '个', '各', '乡', '镇', '区'];
  const wordArb = fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
  const listArb = fc
    .tuple(fc.uniqueArray(wordArb, { maxLength: 12 }), fc.nat(12), fc.uniqueArray(fc.constantFrom('某', '该', '各', '某某'), { maxLength: 3 }))
    .map(([words, split, determiners]): UnitTypeList => ({
      file: 'test.yaml',
      determiners,
      types: [
        { id: 'a', label: { zh: 'a', en: 'a' }, terms: words.slice(0, split), boundTerms: [] },
        { id: 'b', label: { zh: 'b', en: 'b' }, terms: [], boundTerms: words.slice(split) },
      ],
    }));
  it('finds what trying every length at every position finds', () => {
    fc.assert(
      fc.property(listArb, fc.array(fc.constantFrom(...chars, '。'), { maxLength: 40 }).map((a) => a.join('')), (list, text) => {
        const got: [number, number, string][] = [];
        const sink: FactSink = { add: (s, e, body) => got.push([s, e, (body as { type: string }).type]) };
        compileUnitTypes(list).find(text, sink);
        expect(got).toEqual(findByLengths(list, text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('extraction time', () => {
  /** A report-like text of about `kb` kilobytes of UTF-8, with figures that vary so that nothing is trivially cached. */
  function buildText(kb: number): string {
    let out = '';
    for (let i = 0; Buffer.byteLength(out) < kb * 1000; i++) {
      out += PARAGRAPH.replace(/39件/, `${i % 97}件`).replace(/180余万元/, `${(i % 500) + 1}余万元`) + '\n';
    }
    return out;
  }
  /** Best of five wall-clock timings of `run`, in ms: the minimum is the least disturbed by other processes. */
  function timeBest(run: () => void): number {
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      run();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }
  it('grows linearly with the length of the text (one 200 KB text vs ten 20 KB texts)', () => {
    const small = buildText(20);
    const large = buildText(200);
    // Warm-up: JIT, recognizer load, numeral cache.
    for (let k = 0; k < 5; k++) extractor.extract(small);
    const facts = extractor.extract(large);
    expect(facts.length).toBeGreaterThan(1000);
    const ratio = timeBest(() => extractor.extract(large)) / timeBest(() => {
      for (let k = 0; k < 10; k++) extractor.extract(small);
    });
    // The same number of characters either way: linear is about 1, quadratic about 10. Generous slack for a loaded
    // machine; no absolute time is asserted.
    expect(ratio).toBeLessThan(3);
  });
});
