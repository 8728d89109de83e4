/**
 * The compiled-ruleset cache: a valid ruleset, once compiled, is stored (V8's structured serialisation) under a key
 * made of the ruleset hash (every file of the rules folders, their paths and bytes: any change of a rule, list,
 * lexicon, unit-type, taxonomy, scoring or model file gives a new key), the folders as given and the files each holds,
 * the Node version and a hash of this package's compiled code (a new compiler never reads an old entry). A later load
 * of the same rules reads the files (to hash them) but parses, validates and compiles nothing. Entries are written to a
 * temporary file and renamed into place, so concurrent writers (worker threads, parallel runs) never expose a partial
 * entry; an unreadable or foreign entry is a miss. Rulesets with problems are never stored.
 *
 * Location: `$XUNSHI_CACHE_DIR/rules` when set (`off`, `0` or empty: no cache), else `$XDG_CACHE_HOME/xunshi/rules`,
 * else `~/.cache/xunshi/rules`. A folder that cannot be written just means no cache.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { RuleSet } from './model.js';

/** What the cache holds of a ruleset: everything but the automaton (rebuilt from `terms`) and the timing. */
export type CachedRuleSet = Omit<RuleSet, 'automaton' | 'compileMs'>;

/** Bump when the shape of {@link CachedRuleSet} or of an entry changes (2: a digest in front of each entry). */
const FORMAT = 2;
/** Entries kept; older ones (by modification time) are removed when a new one is written. */
const MAX_ENTRIES = 32;

/** The cache folder, or undefined when caching is off. */
export function getRulesCacheDir(): string | undefined {
  const env = process.env.XUNSHI_CACHE_DIR;
  if (env !== undefined) return env === '' || env === '0' || env === 'off' ? undefined : join(env, 'rules');
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'xunshi', 'rules');
}

/**
 * Feed `hash` with every compiled module below `dir` (`.js`, `.cjs`, `.mjs`, `.ts`; not `.d.ts`, which are types only),
 * in sorted order, each as its path below `dir` and its bytes; `node_modules` folders are not entered. Used for this
 * package's cache key and for the build identity of xunshi (a report written by other code is not kept).
 */
export function hashCompiledCode(hash: Hash, dir: string, below = ''): void {
  for (const name of readdirSync(join(dir, below)).sort()) {
    const rel = below ? `${below}/${name}` : name;
    const full = join(dir, rel);
    if (statSync(full).isDirectory()) {
      if (name !== 'node_modules') hashCompiledCode(hash, dir, rel);
    } else if (/\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')) {
      hash.update(rel).update('\0').update(readFileSync(full)).update('\0');
    }
  }
}

let codeHash: string | undefined;
/** sha256 over this package's compiled modules (the folder this file is in, recursively). */
function getCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  hashCompiledCode(hash, dirname(fileURLToPath(import.meta.url)));
  return (codeHash = hash.digest('hex'));
}

/** The cache key of a ruleset with hash `rulesetHash` loaded from `dirs`, whose files are `files` (per folder, below it). */
export function getRulesCacheKey(rulesetHash: string, dirs: readonly string[], files: readonly (readonly string[])[] = []): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, process.version, getCodeHash(), dirs, files, rulesetHash])).digest('hex').slice(0, 32);
}

/** Bytes of the digest in front of each entry. */
const DIGEST_BYTES = 32;

/** The cached ruleset under `key`, or undefined (no cache, no entry, or an entry that does not read back). */
export function readCachedRuleSet(key: string, rulesetHash: string): CachedRuleSet | undefined {
  const dir = getRulesCacheDir();
  if (!dir) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, `${key}.bin`));
  } catch {
    return undefined;
  }
  // The entry's first 32 bytes are the SHA-256 of the rest: a damaged entry that still deserialises (a term's bytes
  // changed on disk) gave other output under the same rulesetHash; now it is simply no entry, and is rewritten.
  if (bytes.length < DIGEST_BYTES || !createHash('sha256').update(bytes.subarray(DIGEST_BYTES)).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
  try {
    const value = deserialize(bytes.subarray(DIGEST_BYTES)) as CachedRuleSet;
    return value && typeof value === 'object' && value.hash === rulesetHash && Array.isArray(value.rules) && Array.isArray(value.terms) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `mkdirSync(dir, { recursive: true })` without its endless loop where mkdir answers ENOENT under a parent that exists
 * (/proc, some network file systems: Node 20 retries for ever at full CPU): the missing folders are made one by one,
 * from the nearest existing one down, and the first that cannot be made throws its own error.
 */
export function makeFolderSync(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); ) {
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (e) {
      // Made meanwhile by another process: as good.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(missing[i]!).isDirectory()) throw e;
    }
  }
  // Something that is not a folder in the way: mkdir says what (EEXIST), as the recursive mkdir did.
  if (missing.length === 0 && !statSync(dir).isDirectory()) mkdirSync(dir);
}

/** Store `ruleset` under `key` (atomically; any failure only means no cache). */
export function writeCachedRuleSet(key: string, ruleset: CachedRuleSet): void {
  const dir = getRulesCacheDir();
  if (!dir) return;
  const file = join(dir, `${key}.bin`);
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    makeFolderSync(dir);
    const payload = serialize(ruleset);
    writeFileSync(tmp, Buffer.concat([createHash('sha256').update(payload).digest(), payload]));
    renameSync(tmp, file);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // No temporary file to remove: the folder could not be made (a file stands on its path) or read.
    }
    return;
  }
  try {
    const entries = readdirSync(dir)
      .filter((n) => n.endsWith('.bin'))
      .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }));
    if (entries.length > MAX_ENTRIES) {
      entries.sort((a, b) => b.t - a.t);
      for (const e of entries.slice(MAX_ENTRIES)) rmSync(join(dir, e.n), { force: true });
    }
  } catch {
    // Another process pruned at the same time: nothing to do.
  }
}
