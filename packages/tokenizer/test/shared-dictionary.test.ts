import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';

// The project's patch of nodejieba (patches/nodejieba@3.5.8.patch) shares one loaded dictionary between the threads of
// a process that load the same files; these tests check what must hold for that to be safe.
interface Jieba {
  load(options?: { userDict?: string }): unknown;
  cut(text: string, hmm?: boolean): string[];
  insertWord(word: string): boolean;
}
const jieba = createRequire(import.meta.url)('nodejieba') as Jieba;
const dir = mkdtempSync(join(tmpdir(), 'xunshi-jieba-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Step = { load?: { userDict?: string }; insert?: string; cut?: string; times?: number };
function inWorker(steps: Step[]): Promise<unknown[]> {
  return new Promise((done, fail) => {
    const w = new Worker(new URL('./fixtures/jieba-thread.mjs', import.meta.url), { workerData: { steps } });
    // Resolved once the thread has ended (its addon instance finalised).
    w.once('message', (m: unknown[]) => void w.terminate().then(() => done(m), fail));
    w.once('error', fail);
  });
}
const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;

// Words of no dictionary: the default dictionary cuts them apart, a lexicon that lists them keeps them whole.
const TEXT = '巡察组指出鹬蚌渔翁问题和鸮鹭鸥鹄现象仍然存在，三重一大制度执行不到位。'.repeat(20);

describe('nodejieba dictionaries shared between threads (patch)', () => {
  it('threads that load the same files share one dictionary and cut alike, concurrently', async () => {
    const lexicon = join(dir, 'a.utf8');
    writeFileSync(lexicon, '鹬蚌渔翁 10 n\n');
    jieba.load({ userDict: lexicon });
    const words = jieba.cut(TEXT, false).join('/');
    expect(words).toContain('鹬蚌渔翁');
    const before = rssMiB();
    const seen = await Promise.all([0, 1].map(() => inWorker([{ load: { userDict: lexicon } }, { cut: TEXT, times: 300 }])));
    // Two copies of the dictionary would add ~340 MiB; two threads with a shared one add their isolates (~20 MiB each).
    expect(rssMiB() - before).toBeLessThan(120);
    for (const s of seen) expect(s).toEqual([words]);
  });

  it('frees the dictionary of a thread that ended (upstream kept every one: ~150 MiB per worker)', async () => {
    const lexicon = join(dir, 'd.utf8');
    writeFileSync(lexicon, '鹬蚌渔翁 10 n\n');
    // One after another, none sharing with another thread: each loads its own copy, which must go when the thread ends.
    await inWorker([{ load: { userDict: lexicon } }]);
    await new Promise((r) => setTimeout(r, 50));
    const before = rssMiB();
    for (let i = 0; i < 3; i++) await inWorker([{ load: { userDict: lexicon } }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(rssMiB() - before).toBeLessThan(100);
  });

  it('a word inserted in one thread changes neither the other threads nor later loads', async () => {
    const lexicon = join(dir, 'b.utf8');
    writeFileSync(lexicon, '鹬蚌渔翁 10 n\n');
    jieba.load({ userDict: lexicon });
    const words = jieba.cut(TEXT, false).join('/');
    expect(words).not.toContain('鸮鹭鸥鹄');
    const [inserted, own] = await inWorker([{ load: { userDict: lexicon } }, { insert: '鸮鹭鸥鹄' }, { cut: TEXT }]);
    expect(inserted).toBe(true);
    expect(own).toContain('鸮鹭鸥鹄');
    expect(jieba.cut(TEXT, false).join('/')).toBe(words);
    expect(await inWorker([{ load: { userDict: lexicon } }, { cut: TEXT }])).toEqual([words]);
  });

  it('a lexicon file rewritten in place is loaded anew, not shared with a thread that holds the old one', async () => {
    const lexicon = join(dir, 'c.utf8');
    writeFileSync(lexicon, '鹬蚌渔翁 10 n\n');
    jieba.load({ userDict: lexicon });
    const words = jieba.cut(TEXT, false).join('/');
    writeFileSync(lexicon, '鸮鹭鸥鹄 10 n\n鹬蚌渔翁 10 n\n');
    const [theirs] = (await inWorker([{ load: { userDict: lexicon } }, { cut: TEXT }])) as string[];
    expect(theirs).toContain('鸮鹭鸥鹄');
    expect(theirs).toContain('鹬蚌渔翁');
    expect(jieba.cut(TEXT, false).join('/')).toBe(words);
  });
});
