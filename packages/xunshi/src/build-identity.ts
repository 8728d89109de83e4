import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashCompiledCode } from '@xunshi/rules';

/** The workspace packages whose code shapes a report (resolved only where they are packages of their own). */
const CODE_PACKAGES = ['@xunshi/types', '@xunshi/document', '@xunshi/tokenizer', '@xunshi/rules', '@xunshi/engine', '@xunshi/facts', '@xunshi/report'];

/** The version of `name` as installed for the package in `from`: the first `node_modules/NAME` up from it, as Node finds it. */
function installedVersion(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      try {
        return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
      } catch {
        return 'unreadable';
      }
    }
    if (dirname(dir) === dir) return 'missing';
  }
}

/**
 * The identity of the xunshi whose compiled code is the folder `code` (its package root the folder above, with its
 * package.json), running with the code packages whose entry files are `packages` (name and entry file).
 */
export function computeBuildIdentity(code: string, packages: readonly { name: string; entry: string }[] = []): string {
  const root = dirname(code);
  const hash = createHash('sha256').update(`node ${process.version}\0`);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  hash.update(`xunshi ${manifest.version}\0`);
  hashCompiledCode(hash, code);
  for (const { name, entry } of packages) {
    hash.update(`${name}\0`);
    hashCompiledCode(hash, dirname(entry));
  }
  for (const name of Object.keys(manifest.dependencies ?? {}).sort()) hash.update(`${name}@${installedVersion(name, root)}\0`);
  return hash.digest('hex');
}

let identity: string | undefined;

/**
 * A hash of the xunshi that runs, for deciding whether a report written earlier is what this xunshi would write: Node's
 * version, xunshi's version, the compiled code of xunshi and (in the workspace, where they are packages of their own)
 * of the `@xunshi/*` packages it runs, and the installed version of every package xunshi depends on (the segmenter's
 * dictionary, the OCR model, the readers). Rules are not in it: reports carry the rules' hash (`tool.rulesetHash`).
 * A checkout updated without a change of version gets a new identity from its code. Computed once per process
 * (reading about 5 MB of code, some 20 ms).
 */
export function getBuildIdentity(): string {
  if (identity) return identity;
  const packages: { name: string; entry: string }[] = [];
  for (const name of CODE_PACKAGES) {
    try {
      packages.push({ name, entry: fileURLToPath(import.meta.resolve(name)) });
    } catch {
      // Bundled into xunshi's own code (the published package): hashed with it.
    }
  }
  return (identity = computeBuildIdentity(dirname(fileURLToPath(import.meta.url)), packages));
}
