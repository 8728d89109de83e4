import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './shared.js';

/** What {@link writeGoldFixture} wrote. */
export interface GoldFixture {
  dir: string;
  /** Ids per part, and the id left out of the index. */
  tuning: string[];
  heldOut: string[];
  unindexed: string;
}

/**
 * A small gold folder in a temporary directory, made from the project's own sample reports (`corpus/tuning`), with an
 * `index.tsv` that has `site` and `part` columns like `../shared/corpus/real`: four sites, two held-out documents whose
 * gold files are NOT valid JSON (so reading one fails loudly), and one document left out of the index.
 */
export function writeGoldFixture(options: { partColumn?: boolean } = {}): GoldFixture {
  const src = join(REPO_DIR, 'corpus/tuning');
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-gold-'));
  const index = new Map<string, Record<string, string>>();
  const [head, ...rows] = readFileSync(join(src, 'index.tsv'), 'utf8').split(/\r?\n/).filter(Boolean);
  const cols = head!.split('\t');
  for (const r of rows) {
    const cells = r.split('\t');
    index.set(cells[0]!, Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ''])));
  }
  const ids = [...index.keys()].sort();
  const heldOut = ['feedback-08', 'negative-03'];
  const unindexed = 'analysis-04';
  const tuning = ids.filter((id) => !heldOut.includes(id) && id !== unindexed);
  for (const name of readdirSync(src).sort()) {
    const id = name.replace(/\.(gold\.json|txt|md)$/, '');
    if (!index.has(id) || name === 'index.tsv') continue;
    if (heldOut.includes(id) && name.endsWith('.gold.json')) writeFileSync(join(dir, name), 'held-out: must never be read');
    else copyFileSync(join(src, name), join(dir, name));
  }
  const partColumn = options.partColumn !== false;
  const lines = [['id', 'kind', 'script', 'site', ...(partColumn ? ['part'] : [])].join('\t')];
  ids.forEach((id, i) => {
    if (id === unindexed) return;
    const r = index.get(id)!;
    lines.push([id, r.kind ?? '', r.script ?? '', `site-${'abcd'[i % 4]}.example`, ...(partColumn ? [heldOut.includes(id) ? 'held-out' : 'tuning'] : [])].join('\t'));
  });
  writeFileSync(join(dir, 'index.tsv'), lines.join('\n') + '\n');
  return { dir, tuning, heldOut, unindexed };
}
