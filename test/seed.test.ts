import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from 'xunshi';
import { SHARED_DIR, hasShared } from './support/shared.js';

// The seed article's outline: four problem sections (a category each), four root-cause sections (a root cause each)
// and the 整改方向 section (measures). Every unit under such a heading should carry its section's label.
const PROBLEM_SECTIONS: Record<string, string> = {
  政治建设方面存在的突出问题: 'political',
  党的建设方面存在的薄弱环节: 'organizational',
  作风建设方面存在的顽瘴痼疾: 'conduct',
  纪律建设与反腐败斗争方面的风险隐患: 'discipline',
};
const CAUSE_SECTIONS: Record<string, string> = { 思想认识偏差: 'ideology', 责任落实虚化: 'responsibility', 制度机制漏洞: 'institution', 政治生态不优: 'ecology' };
const MEASURE_SECTION = '整改方向与具体措施';

describe('the seed article', () => {
  const present = hasShared('seeds/000_78219daa70cfd39d.txt');
  it.skipIf(!present)('gives section labels to the units of its problem, root-cause and measure sections', () => {
    const report = analyze(readFileSync(`${SHARED_DIR}seeds/000_78219daa70cfd39d.txt`), { path: 'seed.txt' });
    const tally = new Map<string, { ok: number; all: number }>();
    const count = (key: string, ok: boolean): void => {
      const t = tally.get(key) ?? { ok: 0, all: 0 };
      t.all++;
      if (ok) t.ok++;
      tally.set(key, t);
    };
    for (const p of report.passages) {
      for (const h of p.headingPath) {
        if (PROBLEM_SECTIONS[h]) count(`category ${PROBLEM_SECTIONS[h]}`, p.categories.some((c) => c.id === PROBLEM_SECTIONS[h]));
        const cause = Object.keys(CAUSE_SECTIONS).find((k) => h.startsWith(k));
        if (cause) count(`root cause ${CAUSE_SECTIONS[cause]}`, p.rootCauses.some((r) => r.id === CAUSE_SECTIONS[cause]));
        if (h === MEASURE_SECTION) count('function measure', p.function === 'measure');
      }
    }
    const share = (k: string): number => tally.get(k)!.ok / tally.get(k)!.all;
    console.log([...tally.entries()].map(([k, t]) => `${k}: ${t.ok}/${t.all}`).join('; '));
    expect([...tally.keys()].length).toBe(9);
    for (const c of Object.values(PROBLEM_SECTIONS)) expect.soft(share(`category ${c}`), c).toBeGreaterThanOrEqual(0.8);
    const rc = Object.values(CAUSE_SECTIONS).reduce((a, r) => ({ ok: a.ok + tally.get(`root cause ${r}`)!.ok, all: a.all + tally.get(`root cause ${r}`)!.all }), { ok: 0, all: 0 });
    expect.soft(rc.ok / rc.all, 'root-cause sections overall').toBeGreaterThanOrEqual(0.6);
    expect.soft(share('function measure'), 'measure section').toBeGreaterThanOrEqual(0.9);
  });
});
