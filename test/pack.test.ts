// The packed library, as another project gets it: `pnpm pack` of packages/xunshi, then `npm install` of the tarball
// into an empty project outside the workspace, with only the npm registry (nodejieba is compiled there), and the
// library and the `xunshi` bin used from that project. One install (about 30 s, most of it compiling nodejieba).
// Skipped, saying so, only when the npm registry cannot be reached.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

const PKG_DIR = join(REPO_DIR, 'packages/xunshi');
const VERSION = (JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as { version: string }).version;

function registryReachable(): { ok: boolean; why: string } {
  const r = spawnSync('npm', ['ping'], { encoding: 'utf8', timeout: 60_000 });
  const why = (r.error?.message ?? `${r.stderr}${r.stdout}`).trim().split('\n').slice(-2).join(' ');
  return { ok: r.status === 0, why };
}
const registry = registryReachable();
if (!registry.ok) {
  console.warn(`SKIPPED: the npm registry is unreachable (npm ping: ${registry.why}), so the packed-install test is skipped (not passed).`);
}

/** What the README tells a user to set: npx must be allowed, and the running Node's headers serve node-gyp offline. */
function installEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  const prefix = dirname(dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_version.h'))) env.npm_config_nodedir = prefix;
  return env;
}

function describeRun(what: string, r: SpawnSyncReturns<string>): string {
  return `${what}: exit ${r.status ?? r.signal ?? r.error?.message}\n${`${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().slice(-4000)}`;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 600_000 });
}

function ok(what: string, r: SpawnSyncReturns<string>): string {
  if (r.status !== 0) throw new Error(describeRun(what, r));
  return r.stdout;
}

describe.runIf(registry.ok)('the packed xunshi in an empty project', () => {
  let tmp: string;
  let project: string;
  let tarball: string;
  // The same bundled sample report, analysed by the workspace's CLI: the reference for the packed one.
  let workspaceReport: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'xunshi-pack-'));
    ok('pnpm pack', run('pnpm', ['pack', '--pack-destination', tmp], PKG_DIR));
    const tarballs = readdirSync(tmp).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toEqual([`xunshi-${VERSION}.tgz`]);
    tarball = join(tmp, tarballs[0]!);

    project = join(tmp, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
    copyFileSync(join(REPO_DIR, 'corpus/tuning/feedback-02.txt'), join(project, 'report.txt'));
    copyFileSync(join(REPO_DIR, 'corpus/held-out/rectification-h01.txt'), join(project, 'second.txt'));

    const t0 = performance.now();
    ok('npm install of the tarball', run('npm', ['install', tarball], project, installEnv()));
    console.log(`[pack] npm install ${tarball}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    workspaceReport = ok('workspace CLI', run(process.execPath, [join(PKG_DIR, 'bin/xunshi.js'), 'analyze', 'report.txt', '--format', 'json'], project));
  }, 900_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs the bundle and the shipped rules, and nothing of the workspace', () => {
    const installed = join(project, 'node_modules/xunshi');
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/worker.js', 'lib/xunshi.js', 'rules/taxonomy.yaml', 'rules/scoring.yaml', 'rules/category-model.json', 'dict/idf.utf8', 'dict/stop-words.utf8']) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@xunshi/'))).toEqual([]);
    expect(Object.values(manifest.dependencies).filter((v) => v.startsWith('workspace:'))).toEqual([]);
    expect(existsSync(join(project, 'node_modules/@xunshi'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/nodejieba/build/Release/nodejieba.node'))).toBe(true);
  });

  it('import { analyze } from "xunshi" gives the workspace report on a Chinese sample', () => {
    writeFileSync(
      join(project, 'use.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { analyze, XunshiError } from 'xunshi';",
        "const report = analyze(readFileSync('report.txt'), { path: 'report.txt' });",
        'let usage = null;',
        "try { analyze(42); } catch (e) { usage = e instanceof XunshiError ? e.code : String(e); }",
        'process.stdout.write(JSON.stringify({ report, usage }));',
      ].join('\n'),
    );
    const out = JSON.parse(ok('node use.mjs', run(process.execPath, ['use.mjs'], project))) as { report: Report; usage: string };
    expect(out.usage).toBe('XUNSHI_USAGE');
    expect(out.report.tool.version).toBe(VERSION);
    const categorised = out.report.passages.filter((p) => p.categories.length > 0);
    expect(categorised.length).toBeGreaterThan(5);
    expect(new Set(categorised.flatMap((p) => p.categories.map((c) => c.id)))).toContain('political');
    // The bundled library analyses exactly as the workspace's code does (same shipped rules, same bytes out).
    expect(out.report).toEqual(JSON.parse(workspaceReport));
  });

  it('npx xunshi analyze FILE runs the bin and prints the same report as the workspace CLI', () => {
    const r = run('npx', ['--no', 'xunshi', 'analyze', 'report.txt', '--format', 'json'], project);
    expect(ok('npx xunshi analyze', r)).toBe(workspaceReport);
  });

  it('the bin runs worker threads, reads its version and tests the shipped rules', () => {
    const bin = join(project, 'node_modules/.bin/xunshi');
    expect(ok('xunshi --version', run(bin, ['--version'], project)).trim()).toBe(VERSION);
    const lines = ok('xunshi --jobs 2', run(bin, ['analyze', 'report.txt', 'second.txt', '--jobs', '2', '--format', 'jsonl'], project)).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Report).source.path)).toEqual(['report.txt', 'second.txt']);
    expect(ok('xunshi rules test', run(bin, ['rules', 'test'], project))).toMatch(/^\d+ rules, \d+ examples: \d+ passed, 0 failed$/m);
    // A folder of reports, run again with --incremental: the bundle knows its own build (its code and dependencies).
    ok('xunshi --out', run(bin, ['analyze', 'report.txt', 'second.txt', '--format', 'json', '--out', 'reports', '--quiet'], project));
    const again = run(bin, ['analyze', 'report.txt', 'second.txt', '--format', 'json', '--out', 'reports', '--incremental'], project);
    expect(ok('xunshi --incremental', again)).toBe('');
    expect(again.stderr).toBe('xunshi: --incremental: kept 2 report(s) of reports whose inputs are unchanged, analysed 0\n');
  });

  it("the bundled declarations type-check a TypeScript consumer", () => {
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { analyze, createAnalyzer, getBuildIdentity, type Report } from 'xunshi';",
        "const report: Report = analyze('形式主义问题突出。', { path: 'a.txt' });",
        'const ids: string[] = report.passages.flatMap((p) => p.categories.map((c) => c.id));',
        'const labels = createAnalyzer().labels;',
        'const build: string = getBuildIdentity();',
        'export { ids, labels, build };',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, typeRoots: [join(REPO_DIR, 'node_modules/@types')], types: ['node'] },
        files: ['use.ts'],
      }),
    );
    const tsc = join(REPO_DIR, 'node_modules/typescript/bin/tsc');
    ok('tsc -p project', run(process.execPath, [tsc, '-p', 'tsconfig.json'], project));
  });

  it('the bundled declarations declare as values exactly what the bundle exports (types of @xunshi/types stay types)', () => {
    const declarations = readFileSync(join(project, 'node_modules/xunshi/lib/index.d.ts'), 'utf8');
    const declared = [...declarations.matchAll(/^export \{ ([^}]*) \};$/gm)].flatMap((m) => m[1]!.split(', ')).sort();
    const exported = (JSON.parse(ok('exports', run(process.execPath, ['--input-type=module', '-e', "import * as x from 'xunshi'; process.stdout.write(JSON.stringify(Object.keys(x)))"], project))) as string[]).sort();
    expect(declared).toEqual(exported);
    // `typeof CATEGORY_IDS` still names its type; using it as a value does not compile.
    expect(declarations).toMatch(/^export type \{[^}]*\bCATEGORY_IDS\b[^}]*\};$/m);
  });
});

interface Report {
  tool: { version: string };
  source: { path: string };
  passages: { categories: { id: string }[] }[];
}
