// The --out target is set up before the first input is read: a folder that cannot be made is an output failure (exit 1,
// XUNSHI_OUTPUT_FAILED), not an internal error (exit 70); the check that no output file is an input looks at each file
// once (it compared every output with every input: minutes of stat calls before a batch of thousands began).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, statSync: vi.fn(real.statSync) };
});

const { main } = await import('../src/cli.js');
const { checkNoOutputIsAnInput } = await import('../src/analyze-command.js');

const dir = mkdtempSync(join(tmpdir(), 'xunshi-out-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const IS_ROOT = process.getuid?.() === 0;
if (IS_ROOT) {
  console.warn(
    'SKIPPED: running as root, which may write into a read-only folder, so the 4 read-only-folder cases of packages/xunshi/test/output-setup.test.ts are skipped (not passed); run the suite as a normal user to run them.',
  );
}
const TEXT = '巡视发现，该单位落实全面从严治党主体责任不到位，违规发放津补贴12.5万元。\n';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('an --out that cannot be set up', () => {
  const input = join(dir, 'report.txt');
  writeFileSync(input, TEXT);
  // A regular file where the output folder's parent should be: mkdir fails with ENOTDIR, also as root.
  const inTheWay = join(dir, 'in-the-way');
  writeFileSync(inTheWay, 'not a folder');

  it.each(['json', 'html'])('--format %s --out below a file: XUNSHI_OUTPUT_FAILED, exit 1', async (format) => {
    const r = await cli(['analyze', input, '--format', format, '--out', join(inTheWay, 'out'), '--jobs', '1', '-q']);
    expect(r.stderr).toMatch(/^cannot write output: a file stands where the output needs a folder \(ENOTDIR\): .*in-the-way\/out \[XUNSHI_OUTPUT_FAILED\]\n$/);
    expect(r.code).toBe(1);
  });

  it.skipIf(IS_ROOT).each(['jsonl', 'csv', 'summary', 'json'])('--format %s --out in a read-only folder: XUNSHI_OUTPUT_FAILED, exit 1, nothing left', async (format) => {
    const ro = join(dir, `read-only-${format}`);
    mkdirSync(ro);
    fs.chmodSync(ro, 0o555);
    try {
      const out = format === 'json' ? ro : join(ro, `out.${format}`);
      const r = await cli(['analyze', input, '--format', format, '--out', out, '--jobs', '1', '-q']);
      expect(r.stderr).toMatch(/^cannot write output: permission denied \(EACCES\): .* \[XUNSHI_OUTPUT_FAILED\]\n$/);
      expect(r.code).toBe(1);
      expect(readdirSync(ro)).toEqual([]);
    } finally {
      fs.chmodSync(ro, 0o755);
    }
  });
});

describe('checkNoOutputIsAnInput', () => {
  it('looks at each input and each output file once, not at every pair', () => {
    const folder = join(dir, 'many');
    mkdirSync(folder);
    const inputs = Array.from({ length: 300 }, (_, i) => {
      const absolute = join(folder, `${String(i).padStart(3, '0')}.txt`);
      writeFileSync(absolute, TEXT);
      return { path: absolute, absolute };
    });
    const targets = [join(folder, 'out/errors.jsonl'), ...inputs.map((i) => i.absolute.replace(/\.txt$/, '.json'))];
    const stat = vi.mocked(fs.statSync);
    stat.mockClear();
    checkNoOutputIsAnInput(targets, inputs);
    expect(stat.mock.calls.length).toBeLessThanOrEqual(inputs.length + targets.length);
  });

  it('still refuses an output that is an input, by path or through a link', () => {
    const a = join(dir, 'a.txt');
    const link = join(dir, 'link.txt');
    writeFileSync(a, TEXT);
    fs.symlinkSync(a, link);
    const inputs = [{ path: 'b.txt', absolute: join(dir, 'b.txt') }, { path: 'a.txt', absolute: a }];
    const codeOf = (targets: string[]): string | undefined => {
      try {
        checkNoOutputIsAnInput(targets, inputs);
      } catch (e) {
        return e instanceof XunshiError ? `${e.code}: ${e.message}` : String(e);
      }
      return undefined;
    };
    expect(codeOf([join(dir, 'out.jsonl')])).toBeUndefined();
    expect(codeOf([join(dir, 'b.txt')])).toMatch(new RegExp(`^${ERROR_CODES.USAGE}: --out would overwrite the input b\\.txt`));
    expect(codeOf([link])).toMatch(new RegExp(`^${ERROR_CODES.USAGE}: --out would overwrite the input a\\.txt`));
    expect(existsSync(a)).toBe(true);
  });
});

describe('--out -', () => {
  it('is standard output, as the input - is standard input (it wrote a file named "-")', async () => {
    const here = join(dir, 'dash');
    mkdirSync(here);
    writeFileSync(join(here, 'report.txt'), TEXT);
    const cwd = process.cwd();
    process.chdir(here);
    try {
      const r = await cli(['analyze', 'report.txt', '--format', 'jsonl', '--out', '-', '--jobs', '1']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).source.path).toBe('report.txt');
      const html = await cli(['analyze', 'report.txt', '--format', 'html', '--out', '-', '--jobs', '1']);
      expect(html.code).toBe(2);
      expect(html.stderr).toMatch(/--format html writes a folder of pages: give it with --out DIR \[XUNSHI_USAGE\]/);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(here)).toEqual(['report.txt']);
  });
});
