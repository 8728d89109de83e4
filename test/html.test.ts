import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer, renderDocumentHtml, type Passage, type Report } from 'xunshi';
import { hasChromium, launchBrowser, testOutputDir, type BrowserSession } from './support/browser.js';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const HAS_MKFIFO = spawnSync('mkfifo', ['--version']).error === undefined;
if (!HAS_MKFIFO) console.warn('SKIPPED: no `mkfifo` command, so the HTML index test of a FIFO input is skipped (not passed).');
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_DIR, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Report text that tries everything a page must not do (the words around it are the project's own sample wording). */
const HOSTILE_LINES = [
  '一、巡视发现的主要问题',
  '</script><script>window.__pwned = 1; alert(1)</script>部分单位工程招投标存在廉洁风险，违规收受礼品礼金问题仍有发生。',
  '<img src=x onerror="window.__pwned = 2; alert(2)">个别干部形式主义、官僚主义问题突出，文山会海现象反弹。',
  '<a href="javascript:alert(3)">点击</a> javascript:alert(4) <iframe src="https://example.com/"></iframe> <link rel=stylesheet href="https://example.com/x.css">',
  '<meta http-equiv="refresh" content="0;url=https://example.com/"><style>body{display:none}</style>落实全面从严治党主体责任不到位。',
  '行分隔符\u2028之后段分隔符\u2029之后，\u202e右到左覆盖的文本\u202c与\u2067隔离\u2069，选人用人把关不严。',
  '"\'><svg onload=alert(5)>{{constructor.constructor(\'alert(6)\')()}} &lt;b&gt; &amp;',
  '违规发放津贴补贴'.repeat(1250),
];
const HOSTILE_MD = ['# 一、<script>alert(7)</script>问题', '', '[链接](javascript:alert(8)) ![图](https://example.com/x.png) <img src=x onerror=alert(9)>', '', '- 部分单位工程招投标存在廉洁风险'].join('\n');

describe('xunshi analyze --format html (command line)', () => {
  it('needs --out DIR, and a folder there', () => {
    const noOut = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'html']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--format html writes a folder of pages: give it with --out DIR');
    const file = join(mkdtempSync(join(tmpdir(), 'xunshi-html-')), 'f');
    writeFileSync(file, '');
    const onFile = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'html', '--out', file]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain('expects a folder');
  });

  it('writes one page per input mirroring the input tree, and an index that no input can overwrite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-html-'));
    mkdirSync(join(dir, 'in/sub'), { recursive: true });
    copyFileSync(join(REPO_DIR, 'corpus/tuning/feedback-02.txt'), join(dir, 'in/index.txt'));
    copyFileSync(join(REPO_DIR, 'corpus/tuning/analysis-02.md'), join(dir, 'in/sub/analysis-02.md'));
    const r = run(['analyze', join(dir, 'in'), '--format', 'html', '--out', join(dir, 'out'), '--jobs', '1', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out'), { recursive: true }).map(String).sort()).toEqual(['.xunshi-manifest.json', 'index.html', 'index.txt.html', 'sub', 'sub/analysis-02.html']);
    const index = readFileSync(join(dir, 'out/index.html'), 'utf8');
    expect(index).toContain('href="./index.txt.html"');
    expect(index).toContain('href="./sub/analysis-02.html"');
    expect(readFileSync(join(dir, 'out/sub/analysis-02.html'), 'utf8')).toContain('href="../index.html"');
    // Deterministic: the same run gives the same bytes.
    const again = run(['analyze', join(dir, 'in'), '--format', 'html', '--out', join(dir, 'out2'), '--jobs', '2', '-q']);
    expect(again.code).toBe(0);
    for (const f of ['index.html', 'index.txt.html', 'sub/analysis-02.html']) expect(readFileSync(join(dir, 'out2', f), 'utf8')).toBe(readFileSync(join(dir, 'out', f), 'utf8'));
  });

  it('writes the page of an input whose name is long (a Chinese title of 78 characters: a page name of 239 bytes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-html-'));
    const name = '关于巡视反馈意见整改情况的报告'.repeat(6).slice(0, 78);
    writeFileSync(join(dir, `${name}.txt`), '巡视组指出，该单位违规发放津补贴18万元。');
    const r = run(['analyze', join(dir, `${name}.txt`), '--format', 'html', '--out', join(dir, 'out'), '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.xunshi-manifest.json', 'index.html', `${name}.html`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the pages of inputs whose page name would pass 255 bytes with a cut name and a hash, linked from the index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-html-'));
    const long = '关于巡视反馈意见整改情况的报告'.repeat(6).slice(0, 84);
    const names = [`${long}.md`, `${long.slice(0, 83)}甲.md`];
    for (const n of names) writeFileSync(join(dir, n), '巡视组指出，该单位违规发放津补贴18万元。');
    const r = run(['analyze', ...names.map((n) => join(dir, n)), '--format', 'html', '--out', join(dir, 'out'), '-q']);
    expect(r.code, r.stderr).toBe(0);
    const pages = readdirSync(join(dir, 'out')).filter((n) => n !== 'index.html' && n !== '.xunshi-manifest.json');
    expect(pages).toHaveLength(2);
    for (const p of pages) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(255);
      expect(p).toMatch(/^关于巡视反馈意见整改情况的报告.*~[0-9a-f]{8}\.html$/);
    }
    const index = readFileSync(join(dir, 'out/index.html'), 'utf8');
    for (const p of pages) expect(index).toContain(`href="./${encodeURIComponent(p)}"`);
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!HAS_MKFIFO)('a FIFO named last is an error entry of the index, never an internal error (nodejs/node#51142)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-html-'));
    writeFileSync(join(dir, 'a.txt'), '巡视组指出，该单位违规发放津补贴18万元。');
    spawnSync('mkfifo', [join(dir, 'pipe.txt')]);
    const r = run(['analyze', join(dir, 'a.txt'), join(dir, 'pipe.txt'), '--format', 'html', '--out', join(dir, 'out'), '-q']);
    expect(r.code, r.stderr).toBe(1);
    expect(readFileSync(join(dir, 'out/index.html'), 'utf8')).toContain('XUNSHI_INPUT_NOT_REGULAR');
    expect(existsSync(join(dir, 'out/a.html'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an --out folder inside the input folder is not read as input on the next run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-html-'));
    writeFileSync(join(dir, 'a.txt'), '巡视组指出，该单位违规发放津补贴18万元。');
    for (let k = 0; k < 2; k++) {
      const r = run(['analyze', dir, '--format', 'html', '--out', join(dir, 'html'), '-q']);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(join(dir, 'html'), { recursive: true }).map(String).sort()).toEqual(['.xunshi-manifest.json', 'a.html', 'index.html']);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

const BROWSER = hasChromium();

/** Each passage's evidence in the renderer's order: function evidence, then each category's, then each root cause's. */
function evidenceOf(p: Passage): { start: number; end: number; text: string }[] {
  return [...p.functionEvidence, ...p.categories.flatMap((c) => c.evidence), ...p.rootCauses.flatMap((r) => r.evidence)];
}

interface DomPassage {
  id: string;
  s: number;
  e: number;
  text: string;
  segs: { s: number; text: string; ev: number[] }[];
}

/** What the page shows of every passage: its range, its text without the fact chips, and its marked segments. */
function readPassages(page: Page): Promise<DomPassage[]> {
  return page.$$eval('#doc .p', (els) =>
    els.map((p) => {
      const copy = p.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.chip').forEach((c) => c.remove());
      return {
        id: p.id,
        s: Number(p.getAttribute('data-s')),
        e: Number(p.getAttribute('data-e')),
        text: copy.textContent ?? '',
        segs: Array.from(p.querySelectorAll('[data-ev]')).map((x) => ({ s: Number(x.getAttribute('data-s')), text: x.textContent ?? '', ev: x.getAttribute('data-ev')!.split(' ').map(Number) })),
      };
    }),
  );
}

describe.skipIf(!BROWSER)('HTML report pages in headless Chromium', () => {
  let session: BrowserSession;
  let dir: string;
  const reports = new Map<string, Report>();
  const labels = createAnalyzer().labels;
  const zh = (id: string): string => labels[id]?.zh ?? id;

  const url = (rel: string): string => pathToFileURL(join(dir, 'out', rel)).href;
  async function open(rel: string, timeout = 30_000): Promise<Page> {
    const page = await session.open();
    const target = url(rel);
    session.expected.add(target);
    await page.goto(target, { timeout });
    return page;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-html-browser-'));
    const input = join(dir, 'in');
    mkdirSync(join(input, 'tuning'), { recursive: true });
    mkdirSync(join(input, 'hostile'), { recursive: true });
    copyFileSync(join(REPO_DIR, 'corpus/tuning/feedback-02.txt'), join(input, 'tuning/feedback-02.txt'));
    copyFileSync(join(REPO_DIR, 'corpus/tuning/analysis-02.md'), join(input, 'tuning/analysis-02.md'));
    copyFileSync(join(REPO_DIR, 'corpus/tuning/rectification-01.txt'), join(input, 'tuning/rectification-01.txt'));
    writeFileSync(join(input, 'hostile/hostile.txt'), HOSTILE_LINES.join('\n'));
    writeFileSync(join(input, 'hostile/<img src=x onerror=alert(10)>.md'), HOSTILE_MD);
    writeFileSync(join(input, 'hostile/javascript:alert(11).txt'), '部分单位工程招投标存在廉洁风险。');
    writeFileSync(join(input, 'empty.txt'), '');
    const args = ['analyze', input, join(input, 'hostile/notes.xyz'), '--jobs', '1', '-q'];
    writeFileSync(join(input, 'hostile/notes.xyz'), '不支持的格式');
    const html = run([...args, '--format', 'html', '--out', join(dir, 'out')]);
    expect(html.code, html.stderr).toBe(1);
    const jsonl = run([...args, '--format', 'jsonl']);
    for (const line of jsonl.stdout.trim().split('\n')) {
      const r = JSON.parse(line) as Report | { error: unknown };
      if ('passages' in r) reports.set(r.source.path!.slice(input.length + 1), r);
    }
    session = await launchBrowser();
  });

  afterAll(async () => {
    await session?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks exactly the evidence offsets, and shows every passage whole and in order', async () => {
    for (const name of ['tuning/feedback-02', 'tuning/analysis-02']) {
      const report = [...reports.entries()].find(([k]) => k.startsWith(name))![1];
      const page = await open(`${name}.html`);
      const dom = await readPassages(page);
      expect(dom.map((d) => d.id)).toEqual(report.passages.map((p) => `p-${p.id}`));
      let marked = 0;
      report.passages.forEach((p, i) => {
        const d = dom[i]!;
        expect([d.s, d.e, d.text]).toEqual([p.start, p.end, p.text]);
        const evidence = evidenceOf(p);
        evidence.forEach((ev, k) => {
          if (ev.start < p.start || ev.end > p.end || ev.end <= ev.start) return;
          const segs = d.segs.filter((g) => g.ev.includes(k)).sort((a, b) => a.s - b.s);
          expect(segs.length, `${p.id} evidence #${k}`).toBeGreaterThan(0);
          segs.forEach((g, j) => j > 0 && expect(g.s).toBe(segs[j - 1]!.s + segs[j - 1]!.text.length));
          expect(segs[0]!.s).toBe(ev.start);
          expect(segs.at(-1)!.s + segs.at(-1)!.text.length).toBe(ev.end);
          expect(segs.map((g) => g.text).join('')).toBe(ev.text);
          marked++;
        });
        // No segment is marked for evidence that does not cover it.
        for (const g of d.segs) {
          const covering = evidence.flatMap((ev, k) => (ev.start <= g.s && g.s + g.text.length <= ev.end && ev.start >= p.start && ev.end <= p.end ? [k] : []));
          expect(g.ev).toEqual(covering);
        }
      });
      expect(marked).toBeGreaterThan(20);
      await page.close();
    }
  });

  it('filters by function, category, subcategory and root cause, dimming or hiding the rest', async () => {
    const report = reports.get('tuning/feedback-02.txt')!;
    const page = await open('tuning/feedback-02.html');
    const shown = (): Promise<string[]> => page.$$eval('#doc .p:not(.off)', (els) => els.map((e) => e.id));
    const ids = (f: (p: Passage) => boolean): string[] => report.passages.filter(f).map((p) => `p-${p.id}`);
    expect(await shown()).toEqual(ids(() => true));
    await page.selectOption('#f-fn', 'problem');
    expect(await shown()).toEqual(ids((p) => p.function === 'problem'));
    await page.selectOption('#f-cat', 'political');
    const problemPolitical = ids((p) => p.function === 'problem' && p.categories.some((c) => c.id === 'political'));
    expect(problemPolitical.length).toBeGreaterThan(0);
    expect(await shown()).toEqual(problemPolitical);
    expect(await page.locator('#count').textContent()).toBe(`${problemPolitical.length} / ${report.passages.length} 段 passages`);
    const off = ids((p) => !(p.function === 'problem' && p.categories.some((c) => c.id === 'political')))[0]!;
    expect(await page.$eval(`#${off}`, (e) => getComputedStyle(e).opacity)).toBe('0.22');
    await page.selectOption('#f-mode', 'hide');
    await page.locator(`#${off}`).waitFor({ state: 'hidden' });
    await page.locator(`#${problemPolitical[0]}`).waitFor({ state: 'visible' });
    await page.click('#f-reset');
    await page.locator(`#${off}`).waitFor({ state: 'visible' });
    const sub = report.passages.flatMap((p) => p.categories.map((c) => c.subcategory)).find((s) => s)!;
    await page.selectOption('#f-sub', sub);
    expect(await shown()).toEqual(ids((p) => p.categories.some((c) => c.subcategory === sub)));
    await page.click('#f-reset');
    await page.selectOption('#f-rc', 'responsibility');
    expect(await shown()).toEqual(ids((p) => p.rootCauses.some((r) => r.id === 'responsibility')));
    await page.selectOption('#f-rc', '');
    await page.selectOption('#f-cat', '-');
    expect(await shown()).toEqual(ids((p) => p.categories.length === 0));
    await page.close();
  });

  it('hovering or focusing a passage explains its labels, scores and rules in Chinese; the keyboard steps through', async () => {
    const report = reports.get('tuning/feedback-02.txt')!;
    const page = await open('tuning/feedback-02.html');
    const p = report.passages.find((q) => q.categories.some((c) => c.subcategory && c.evidence.some((e) => e.start >= q.start && e.end <= q.end)))!;
    const c = p.categories.find((x) => x.subcategory && x.evidence.length)!;
    const quoted = [...new Set(c.evidence.map((e) => e.text))].map((t) => `“${t}”`).join('、');
    const why = `命中规则 ${zh(c.id)}·${zh(c.subcategory!)}：${quoted}`;
    await page.locator('#tip').waitFor({ state: 'hidden' });
    await page.hover(`#p-${p.id} [data-ev] >> nth=0`);
    const tip = page.locator('#tip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toContain(why);
    expect(await tip.textContent()).toContain(`类别 Category：${labels[c.id]!.zh} ${labels[c.id]!.en}`);
    expect(await tip.textContent()).toContain('得分 Scores');
    expect(await tip.textContent()).toContain('规则 Rules：');
    expect(await tip.textContent()).toContain(c.evidence[0]!.rule);
    await page.screenshot({ path: join(testOutputDir(), 'html-document.png') });
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });

    // Keyboard: labelled passages are tab stops; focus shows the same explanation; j moves to the next one.
    const tabbable = report.passages.filter((q) => q.function !== 'context' || q.categories.length || q.rootCauses.length);
    await page.focus(`#p-${tabbable[0]!.id}`);
    await tip.waitFor({ state: 'visible' });
    expect(await page.getAttribute(`#p-${tabbable[0]!.id}`, 'aria-describedby')).toBe('tip');
    expect(await tip.textContent()).toContain(`功能 Function：${labels[tabbable[0]!.function]!.zh}`);
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`p-${tabbable[1]!.id}`);
    await page.keyboard.press('k');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`p-${tabbable[0]!.id}`);
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });

    // With a filter, Tab (like j/k) steps through the passages it keeps only, and through all again after a reset.
    // A category whose passages are not one run of tab stops, so that Tab would meet a left-out one between them.
    const kept = (cat: string): typeof tabbable => tabbable.filter((q) => q.categories.some((x) => x.id === cat));
    const interleaved = (cat: string): boolean => {
      const at = kept(cat).map((q) => tabbable.indexOf(q));
      return at.length > 1 && at.at(-1)! - at[0]! + 1 > at.length;
    };
    const cat = ['political', 'organizational', 'conduct', 'discipline'].find(interleaved)!;
    expect(cat).toBeDefined();
    const problems = kept(cat);
    await page.selectOption('#f-cat', cat);
    const tabOrder = async (n: number): Promise<string[]> => {
      await page.focus(`#p-${problems[0]!.id}`);
      const ids = [await page.evaluate(() => document.activeElement?.id ?? '')];
      for (let i = 1; i < n; i++) {
        await page.keyboard.press('Tab');
        ids.push(await page.evaluate(() => document.activeElement?.id ?? ''));
      }
      return ids;
    };
    expect(await tabOrder(problems.length)).toEqual(problems.map((q) => `p-${q.id}`));
    await page.click('#f-reset');
    expect(await page.$$eval('#doc .p[tabindex="0"]', (els) => els.length)).toBe(tabbable.length);
    await page.close();
  });

  it('the index draws bars from the counts, sorts, links every page and lists the failures', async () => {
    const page = await open('index.html');
    const docs = [...reports.values()];
    const sum = (f: (r: Report) => number): number => docs.reduce((n, r) => n + f(r), 0);
    for (const [chart, ids, get] of [
      ['chart-categories', ['political', 'organizational', 'conduct', 'discipline'], (r: Report, id: string) => r.summary.categories[id as 'conduct']],
      ['chart-root-causes', ['ideology', 'responsibility', 'institution', 'ecology'], (r: Report, id: string) => r.summary.rootCauses[id as 'ecology']],
    ] as const) {
      const bars = await page.$$eval(`#${chart} rect.bar`, (els) => els.map((e) => ({ value: Number(e.getAttribute('data-value')), width: e.getBoundingClientRect().width })));
      const expected = ids.map((id) => sum((r) => get(r, id)));
      expect(bars.map((b) => b.value)).toEqual(expected);
      const max = Math.max(...expected);
      const scale = bars.find((b) => b.value === max)!.width / max;
      for (const b of bars) expect(Math.abs(b.width - b.value * scale)).toBeLessThan(0.6);
    }
    const problems = await page.$$eval('#chart-problems rect.bar', (els) => els.map((e) => [e.querySelector('title')!.textContent, Number(e.getAttribute('data-value'))] as const));
    expect(problems).toHaveLength(docs.length);
    for (const [title, value] of problems) {
      const r = docs.find((d) => title!.startsWith(`${d.source.path}:`))!;
      expect(value).toBe(r.summary.functions.problem);
    }
    // Links resolve to the pages that were written.
    const hrefs = await page.$$eval('#docs tbody a', (els) => els.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs).toHaveLength(docs.length);
    for (const h of hrefs) {
      expect(h.startsWith('file://')).toBe(true);
      expect(existsSync(fileURLToPath(h)), h).toBe(true);
    }
    // Sorting: problem passages, most first; then fewest first.
    const column = async (col: number): Promise<number[]> => page.$$eval(`#docs tbody tr td:nth-child(${col})`, (tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
    await page.click('#docs th[data-key=problem] button');
    const desc = await column(3);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(await page.locator('#docs th[data-key=problem]').getAttribute('aria-sort')).toBe('descending');
    await page.click('#docs th[data-key=problem] button');
    const asc = await column(3);
    expect(asc).toEqual([...desc].sort((a, b) => a - b));
    // The failures, with their messages.
    const errors = await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(errors).toHaveLength(2);
    expect(errors.some((t) => t.includes('empty.txt'))).toBe(true);
    expect(errors.some((t) => t.includes('notes.xyz') && t.includes('.xyz'))).toBe(true);
    await page.click('#docs th[data-key=problem] button');
    await page.screenshot({ path: join(testOutputDir(), 'html-index.png'), fullPage: true });
    await page.close();
  });

  it('hostile report text and file names show as text and run, load and navigate to nothing', async () => {
    const before = { dialogs: session.dialogs.length, errors: session.errors.length, navigations: session.navigations.length };
    for (const name of ['hostile/hostile.html', 'hostile/<img src=x onerror=alert(10)>.html', 'hostile/javascript:alert(11).html', 'index.html']) {
      const page = await open(name);
      // Give a meta refresh or a late script every chance to act, and touch every passage.
      for (const p of await page.$$('#doc .p')) await p.hover({ force: true, trial: false }).catch(() => undefined);
      await page.keyboard.press('j');
      await page.waitForTimeout(300);
      expect(decodeURIComponent(page.url())).toBe(decodeURIComponent(url(name)));
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.$$eval('img, iframe, object, embed, link, meta[http-equiv=refresh], svg[onload], [onerror], [onclick]', (els) => els.length)).toBe(0);
      expect(await page.$$eval('script', (els) => els.length)).toBe(1);
      // Every link (HTML or SVG) stays on file://, below the output folder.
      const links = await page.$$eval('a', (els) => els.map((a) => new URL(a.getAttribute('href') ?? '', location.href).href));
      for (const l of links) expect(l.startsWith(pathToFileURL(join(dir, 'out')).href), l).toBe(true);
      if (name === 'hostile/hostile.html') {
        const text = await page.$eval('#doc', (d) => {
          const copy = d.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.chip').forEach((c) => c.remove());
          return copy.textContent ?? '';
        });
        for (const line of HOSTILE_LINES) expect(text).toContain(line.slice(0, 200));
        expect(text).toContain(HOSTILE_LINES.at(-1));
        // The 10,000-character line wraps instead of widening the page; bidi overrides stay inside their passage.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        expect(await page.$eval('#doc .p', (e) => getComputedStyle(e).unicodeBidi)).toBe('isolate');
        await page.screenshot({ path: join(testOutputDir(), 'html-hostile.png') });
      }
      await page.close();
    }
    expect(session.dialogs.slice(before.dialogs)).toEqual([]);
    expect(session.errors.slice(before.errors)).toEqual([]);
    expect(session.navigations.slice(before.navigations)).toEqual([]);
  });

  it('a 5 MB report renders into a usable page without a node per character', async () => {
    // The project's own analysed samples, repeated (offsets shifted) until the passages hold 5 MiB of text: a real
    // report's shape at that size, without spending half a minute analysing it again.
    const base = ['tuning/feedback-02.txt', 'tuning/analysis-02.md', 'tuning/rectification-01.txt'].map((k) => reports.get(k)!);
    const passages: Passage[] = [];
    let offset = 0;
    let bytes = 0;
    for (let part = 1; bytes < 5 * 1024 * 1024; part++) {
      for (const r of base) {
        const at = offset;
        const shift = <T extends { start: number; end: number }>(x: T): T => ({ ...x, start: x.start + at, end: x.end + at });
        for (const p of r.passages) {
          passages.push({
            ...shift(p),
            id: `u${passages.length}`,
            headingPath: [`第${part}部分`, ...p.headingPath],
            functionEvidence: p.functionEvidence.map(shift),
            categories: p.categories.map((c) => ({ ...c, evidence: c.evidence.map(shift) })),
            rootCauses: p.rootCauses.map((c) => ({ ...c, evidence: c.evidence.map(shift) })),
            facts: p.facts.map(shift),
          });
          bytes += Buffer.byteLength(p.text);
        }
        offset += r.source.length + 1;
      }
    }
    const count = (ids: string[]): Record<string, number> => Object.fromEntries(ids.map((id) => [id, 0]));
    const summary = { ...base[0]!.summary, passages: passages.length, functions: count(['problem', 'cause', 'measure', 'context']), categories: count(['political', 'organizational', 'conduct', 'discipline']), subcategories: {} as Record<string, number>, rootCauses: count(['ideology', 'responsibility', 'institution', 'ecology']) } as Report['summary'];
    for (const p of passages) {
      summary.functions[p.function]++;
      for (const c of p.categories) {
        summary.categories[c.id]++;
        if (c.subcategory) summary.subcategories[c.subcategory] = (summary.subcategories[c.subcategory] ?? 0) + 1;
      }
      for (const r of p.rootCauses) summary.rootCauses[r.id]++;
    }
    const report: Report = { ...base[0]!, source: { ...base[0]!.source, path: 'big.txt', length: offset }, passages, summary };
    const t0 = performance.now();
    const html = renderDocumentHtml(report, { labels });
    const ms = performance.now() - t0;
    writeFileSync(join(dir, 'out/big.html'), html);
    console.log(`5 MB report: ${(bytes / 2 ** 20).toFixed(2)} MiB of text, ${report.passages.length} passages, rendered in ${(ms / 1000).toFixed(1)} s into ${(statSync(join(dir, 'out/big.html')).size / 2 ** 20).toFixed(1)} MiB of HTML`);
    const t1 = performance.now();
    const page = await open('big.html', 240_000);
    console.log(`5 MB report: Chromium loaded the page in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const counts = await page.evaluate(() => ({ passages: document.querySelectorAll('#doc .p').length, elements: document.querySelectorAll('#doc *').length, chars: document.getElementById('doc')!.textContent!.length }));
    const segments = report.passages.reduce((n, p) => n + p.facts.length + 2 * evidenceOf(p).length + 1, 0);
    expect(counts.passages).toBe(report.passages.length);
    expect(counts.elements).toBeLessThanOrEqual(segments);
    // Far from a node per character: on average a node holds several characters.
    expect(counts.elements * 3).toBeLessThan(counts.chars);
    // Usable: filtering and hovering still work on it.
    await page.selectOption('#f-fn', 'problem');
    expect(await page.locator('#count').textContent()).toBe(`${report.summary.functions.problem} / ${report.passages.length} 段 passages`);
    const p = report.passages.find((q) => q.categories.length && q.categories[0]!.evidence.some((e) => e.start >= q.start && e.end <= q.end))!;
    await page.locator(`#p-${p.id} [data-ev]`).first().hover();
    expect(await page.locator('#tip').textContent()).toContain('命中规则');
    await page.close();
  }, 240_000);

  it('no page made any request, raised an error or broke its Content Security Policy', () => {
    expect(session.requests).toEqual([]);
    expect(session.errors).toEqual([]);
    expect(session.dialogs).toEqual([]);
  });
});
