import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Range, Token } from '@xunshi/types';
import { ERROR_CODES, XunshiError } from '@xunshi/types';

interface NodeJieba {
  load(options?: { userDict?: string }): unknown;
  cut(text: string, hmm?: boolean): string[];
}

const require = createRequire(import.meta.url);
let jieba: NodeJieba | undefined;
let loadedKey: string | undefined;

/** A domain lexicon for the segmenter: files of `word freq tag` lines. */
export interface Lexicon {
  /** Absolute paths of the lexicon files, in a stable order. */
  files: string[];
  /** sha256 over the files' contents, so that a changed lexicon reloads the dictionary. */
  hash: string;
  /** Number of entries. */
  size: number;
}

/**
 * Read and check every `*.txt` file of a lexicon folder (`rules/lexicon`). Each non-empty, non-`#` line is
 * `word freq [tag]`. Errors name the file and line.
 */
export function loadLexicon(dir: string): Lexicon {
  if (!existsSync(dir)) return { files: [], hash: 'none', size: 0 };
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => join(dir, f));
  const hash = createHash('sha256');
  const issues: { file: string; line: number; column: number; message: string }[] = [];
  let size = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    hash.update(file.slice(dir.length)).update('\0').update(text).update('\0');
    text.split(/\r?\n/).forEach((raw, idx) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const parts = line.split(/\s+/);
      if (parts.length > 3 || (parts[1] !== undefined && !/^\d+$/.test(parts[1]))) {
        issues.push({ file, line: idx + 1, column: 1, message: `lexicon line must be "word freq [tag]", got "${line}"` });
        return;
      }
      size++;
    });
  }
  if (issues.length) {
    throw new XunshiError(ERROR_CODES.RULE_INVALID, `${issues.length} bad lexicon line(s)`, { issues, file: issues[0]!.file });
  }
  return { files, hash: hash.digest('hex'), size };
}

/**
 * Load nodejieba with `lexicon` once per thread (lazily, on first use). nodejieba keeps one dictionary per thread and a
 * load takes over a second, so a second call with the same lexicon is free; a different lexicon reloads.
 */
export function ensureSegmenter(lexicon: Lexicon): void {
  const key = lexicon.hash;
  if (jieba && loadedKey === key) return;
  jieba ??= require('nodejieba') as NodeJieba;
  // cppjieba splits its userDict argument on "|" and ";", so several lexicon files load in one call.
  jieba.load(lexicon.files.length ? { userDict: lexicon.files.join('|') } : {});
  loadedKey = key;
}

/**
 * Segment the given ranges of `text` into tokens with UTF-16 ranges into `text`. Ranges are segmented one at a time
 * (nodejieba is fastest and leanest per paragraph). White-space tokens are dropped.
 */
export function segment(text: string, ranges: readonly Range[], lexicon: Lexicon): Token[] {
  ensureSegmenter(lexicon);
  const out: Token[] = [];
  for (const r of ranges) {
    const piece = text.slice(r.start, r.end);
    if (!piece) continue;
    // HMM off: unknown runs split into single characters instead of odd merges such as 名未, and it is faster.
    const words = jieba!.cut(piece, false);
    let pos = 0;
    for (const w of words) {
      let at = piece.startsWith(w, pos) ? pos : piece.indexOf(w, pos);
      if (at < 0) continue; // the segmenter never drops text, but never trust offsets we did not compute
      pos = at + w.length;
      if (w.trim() === '') continue;
      out.push({ start: r.start + at, end: r.start + pos, text: w });
    }
  }
  return out;
}
