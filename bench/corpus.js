// Deterministic bench corpus: the project's sample reports, varied (paragraph order, numbers, place names) with a
// seeded PRNG and written to .bench/ once per parameter set.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bump when the generator's output changes, so that an old cache is not reused. */
const GENERATOR_VERSION = 2;
const SOURCE_DIRS = ['corpus/tuning', 'corpus/held-out'];
const PLACE_STEMS = ['云岭', '江宁', '泸川', '南川', '青溪', '清源', '安澜', '安平'];
const PLACE_POOL = [...PLACE_STEMS, '临江', '石桥', '白河', '东阳', '西岚', '北沅', '梧川', '桐林', '金坪', '松原', '河口', '柳塘'];
const PLACE_RE = new RegExp(`(${PLACE_STEMS.join('|')})(?=[省市县区])`, 'g');

/** mulberry32 (the evaluation's generator): small, fast and good enough to vary text reproducibly. */
export const { createPrng } = await import('../packages/eval/dist/intervals.js');

function decodeSource(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // One sample is deliberately GBK; it is re-encoded as UTF-8 like every generated file.
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The sample reports as text, grouped by kind (the file-name prefix) and format. */
export function readSources(root) {
  const sources = [];
  for (const dir of SOURCE_DIRS) {
    const abs = join(root, dir);
    for (const name of readdirSync(abs).sort()) {
      if (!/\.(txt|md)$/.test(name)) continue;
      const text = decodeSource(readFileSync(join(abs, name))).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
      const lines = text.split('\n');
      const title = lines.find((l) => l.trim()) ?? '';
      const body = lines.slice(lines.indexOf(title) + 1).filter((l) => l.trim());
      sources.push({ name: `${dir}/${name}`, kind: name.split('-')[0], ext: name.endsWith('.md') ? 'md' : 'txt', title, body });
    }
  }
  if (sources.length === 0) throw new Error(`bench: no .txt/.md samples in ${SOURCE_DIRS.join(', ')}`);
  return sources;
}

function varyLine(line, rnd, places) {
  return line
    .replace(PLACE_RE, (stem) => places.get(stem))
    .replace(/\d+/g, (digits, at, whole) => {
      // Dates stay valid so that the fact extractor sees the same kinds of values as in real reports.
      if (digits.length === 4 && digits.startsWith('20')) return `20${10 + Math.floor(rnd() * 16)}`;
      if (whole[at + digits.length] === '月') return String(1 + Math.floor(rnd() * 12));
      if (whole[at + digits.length] === '日') return String(1 + Math.floor(rnd() * 28));
      let out = '';
      for (let i = 0; i < digits.length; i++) out += String(i === 0 && digits.length > 1 ? 1 + Math.floor(rnd() * 9) : Math.floor(rnd() * 10));
      return out;
    });
}

function generateFile(sources, index, seed, meanBytes) {
  const rnd = createPrng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const primary = sources[Math.floor(rnd() * sources.length)];
  const donors = sources.filter((s) => s.kind === primary.kind && s.ext === primary.ext);
  const places = new Map(PLACE_STEMS.map((s) => [s, PLACE_POOL[Math.floor(rnd() * PLACE_POOL.length)]]));
  const target = Math.round(meanBytes * (0.5 + rnd()));
  // The primary keeps its structure (headings stay ahead of their paragraphs) with nearby paragraphs swapped;
  // further paragraphs come from random reports of the same kind until the file reaches its target size.
  const body = [...primary.body];
  for (let i = 1; i < body.length; i++) if (rnd() < 0.3) [body[i - 1], body[i]] = [body[i], body[i - 1]];
  const lines = [varyLine(primary.title, rnd, places), ...body.map((l) => varyLine(l, rnd, places))];
  let bytes = Buffer.byteLength(lines.join('\n'));
  while (bytes < target) {
    const donor = donors[Math.floor(rnd() * donors.length)];
    const start = Math.floor(rnd() * donor.body.length);
    const count = 1 + Math.floor(rnd() * 6);
    for (const l of donor.body.slice(start, start + count)) {
      const v = varyLine(l, rnd, places);
      lines.push(v);
      bytes += Buffer.byteLength(v) + 1;
    }
  }
  const sep = primary.ext === 'md' ? '\n\n' : '\n';
  return { name: `${String(index).padStart(4, '0')}-${primary.kind}.${primary.ext}`, text: lines.join(sep) + '\n' };
}

/**
 * The folder of a corpus already in `.bench/` with `files` reports (the one `pnpm bench` made), or undefined: for the
 * scripts that reuse the bench's input without generating it.
 */
export function findCachedCorpus(root, files) {
  const bench = join(root, '.bench');
  if (!existsSync(bench)) return undefined;
  return readdirSync(bench)
    .filter((n) => /^corpus-[0-9a-f]+\.json$/.test(n))
    .map((n) => join(bench, n.slice(0, -5)))
    .find((dir) => JSON.parse(readFileSync(`${dir}.json`, 'utf8')).files === files);
}

/**
 * Make (or reuse) the bench corpus: `files` reports of about `totalMb` MB of UTF-8 in `.bench/corpus-<key>/`, where the
 * key hashes the parameters, the generator version and the sample files, so a changed sample regenerates it.
 */
export function ensureCorpus(root, { files, totalMb, seed }) {
  const sources = readSources(root);
  const key = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, files, totalMb, seed }))
    .update(JSON.stringify(sources))
    .digest('hex')
    .slice(0, 12);
  const dir = join(root, '.bench', `corpus-${key}`);
  // The manifest sits next to the folder (not in it) so that the CLI, given the folder, sees reports only.
  const manifestPath = `${dir}.json`;
  if (existsSync(manifestPath)) return { ...JSON.parse(readFileSync(manifestPath, 'utf8')), dir, reused: true };
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const meanBytes = (totalMb * 1e6) / files;
  const names = [];
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const { name, text } = generateFile(sources, i, seed, meanBytes);
    writeFileSync(join(tmp, name), text);
    names.push(name);
    bytes += Buffer.byteLength(text);
  }
  const manifest = { key, files, totalMb, seed, sources: sources.length, bytes, names };
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  // The manifest is written last: an interrupted run never leaves a corpus that looks complete.
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { ...manifest, dir, reused: false };
}
