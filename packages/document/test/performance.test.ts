import { describe, expect, it } from 'vitest';
import { decodeBytes, parseDocument } from '../src/index.js';

// Written for this test: a paragraph, a title line and numbered headings, repeated to 5 MB.
const BLOCK = [
  '整改方向与具体措施',
  '',
  '一、强化政治建设',
  '（一）深化理论武装',
  '1.持续深化理论武装,提高政治站位。被巡视单位要建立理论学习长效机制,确保学习内容与实际工作紧密结合;一是制定年度学习计划,二是定期开展学习研讨。',
  '存在“以文件落实文件、以会议落实会议”现象……涉及金额2.3万元!',
  '',
].join('\n');

function build(targetChars: number, unit: string): string {
  return unit.repeat(Math.ceil(targetChars / unit.length)).slice(0, targetChars);
}

function timeIt(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe('performance', () => {
  it('parses a 5 MB plain text in linear time (speed itself is measured by pnpm bench)', () => {
    const big = build(5_000_000, BLOCK);
    const small = build(500_000, BLOCK);
    parseDocument(small); // warm-up
    const tSmall = Math.min(timeIt(() => parseDocument(small)), timeIt(() => parseDocument(small)));
    let units = 0;
    // Best of three: the shared CI machine is noisy, the code path is not.
    const tBig = Math.min(
      timeIt(() => (units = parseDocument(big).units.length)),
      timeIt(() => parseDocument(big)),
      timeIt(() => parseDocument(big)),
    );
    console.log(
      `[document] parseDocument text: 5,000,000 chars, ${units} units in ${tBig.toFixed(0)} ms (0.5 M chars: ${tSmall.toFixed(0)} ms)`,
    );
    // 10x the input may cost at most ~25x the time: a quadratic step would cost 100x.
    expect(tBig).toBeLessThan(Math.max(25 * tSmall, 200));
  });

  it('stays linear on one 2 MB line with no line break at all', () => {
    const best = (s: string): number => Math.min(timeIt(() => parseDocument(s)), timeIt(() => parseDocument(s)));
    const small = build(500_000, '巡视发现问题,整改不到位。');
    const line = build(2_000_000, '巡视发现问题,整改不到位。');
    parseDocument(small);
    const tSmall = best(small);
    const t = best(line);
    console.log(`[document] parseDocument one 2 M-char line: ${t.toFixed(0)} ms (0.5 M: ${tSmall.toFixed(0)} ms)`);
    // 4x the input: linear is ~4x, a quadratic step 16x.
    expect(t).toBeLessThan(Math.max(8 * tSmall, 200));
  });

  it('decodes 5 MB of UTF-8 in linear time', () => {
    const best = (b: Uint8Array): number => Math.min(timeIt(() => decodeBytes(b)), timeIt(() => decodeBytes(b)));
    const small = new TextEncoder().encode(build(425_000, BLOCK));
    const bytes = new TextEncoder().encode(build(1_700_000, BLOCK));
    decodeBytes(small);
    const tSmall = best(small);
    const t = best(bytes);
    console.log(`[document] decodeBytes ${(bytes.length / 1e6).toFixed(1)} MB UTF-8: ${t.toFixed(0)} ms (a quarter: ${tSmall.toFixed(0)} ms)`);
    expect(t).toBeLessThan(Math.max(8 * tSmall, 200));
  });

  it('parses Markdown with lists and block quotes in linear time (remark alone is quadratic there)', () => {
    const unit = '## 整改方向与具体措施\n\n- 持续深化理论武装。提高政治站位\n- 二是定期开展学习研讨。\n\n> 引用一句。\n\n';
    const small = build(100_000, unit);
    const big = build(400_000, unit);
    parseDocument(small, { format: 'markdown' });
    const tSmall = timeIt(() => parseDocument(small, { format: 'markdown' }));
    const tBig = timeIt(() => parseDocument(big, { format: 'markdown' }));
    console.log(`[document] parseDocument markdown: 100 k chars ${tSmall.toFixed(0)} ms, 400 k chars ${tBig.toFixed(0)} ms`);
    // 4x the input: linear is ~4x; the unchunked parse took ~16x (and minutes per megabyte).
    expect(tBig).toBeLessThan(Math.max(8 * tSmall, 300));
  });
});
