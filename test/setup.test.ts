// Set-up of the workspace (issue 11, defect 11): nodejieba's install script, as patched by
// patches/nodejieba@3.5.8.patch, and the tests' way to the shared folder. The install script is run with a stand-in
// `npm` that records what it is asked, so nothing is compiled here (a cold install compiles nodejieba for real).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

const requireFromTokenizer = createRequire(join(REPO_DIR, 'packages/tokenizer/package.json'));
const NODEJIEBA_DIR = dirname(requireFromTokenizer.resolve('nodejieba/package.json'));
const INSTALL = (JSON.parse(readFileSync(join(NODEJIEBA_DIR, 'package.json'), 'utf8')) as { scripts: { install: string } }).scripts.install;
const NODE_PREFIX = dirname(dirname(process.execPath));
const HAS_HEADERS = existsSync(join(NODE_PREFIX, 'include/node/node_version.h'));

const bin = mkdtempSync(join(tmpdir(), 'xunshi-fake-npm-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const record = join(bin, 'calls.jsonl');
// Records its arguments and the nodedir it is given, in place of npm.
writeFileSync(
  join(bin, 'npm'),
  `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), nodedir: process.env.npm_config_nodedir ?? null }) + '\\n');\n`,
);
chmodSync(join(bin, 'npm'), 0o755);

/** Runs nodejieba's install script as pnpm does (sh, in the package folder) and returns what npm was asked. */
function runInstall(extraEnv: Record<string, string>): { args: string[]; nodedir: string | null }[] {
  rmSync(record, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  if (!('npm_config_nodedir' in extraEnv)) delete env.npm_config_nodedir;
  const r = spawnSync('sh', ['-c', INSTALL], { cwd: NODEJIEBA_DIR, env, encoding: 'utf8' });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  return readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; nodedir: string | null });
}

describe("nodejieba's install script (patched)", () => {
  it("compiles with the locked node-pre-gyp at once, with no prebuilt download (no node-pre-gyp ERR! lines) and no npx", () => {
    const [call, ...more] = runInstall({});
    expect(more).toEqual([]);
    expect(call!.args).toEqual(['exec', '--', 'node-pre-gyp', 'install', '--build-from-source']);
  });

  it("points node-gyp at the running Node's own headers when no nodedir is set, so an offline build finds them", () => {
    const [call] = runInstall({});
    expect(call!.nodedir).toBe(HAS_HEADERS ? NODE_PREFIX : null);
  });

  it('keeps a nodedir that is already set', () => {
    const [call] = runInstall({ npm_config_nodedir: '/opt/node-headers' });
    expect(call!.nodedir).toBe('/opt/node-headers');
  });
});

describe('the shared folder', () => {
  // Tests reach ../shared through test/support/shared.ts (SHARED_DIR, hasShared), which says what it skips.
  it('is found by no test through a path of its own', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name === 'fixtures') continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.test\.ts$|\/support\/.*\.ts$/.test(p) && !p.endsWith('support/shared.ts')) files.push(p);
      }
    };
    walk(join(REPO_DIR, 'test'));
    for (const pkg of readdirSync(join(REPO_DIR, 'packages'))) {
      if (existsSync(join(REPO_DIR, 'packages', pkg, 'test'))) walk(join(REPO_DIR, 'packages', pkg, 'test'));
    }
    expect(files.length).toBeGreaterThan(20);
    const own = /new URL\(\s*['"`](?:\.\.\/)+shared\b|['"`]\/work\/shared\b/;
    const offenders = files.filter((f) => own.test(readFileSync(f, 'utf8'))).map((f) => relative(REPO_DIR, f));
    expect(offenders).toEqual([]);
  });
});
