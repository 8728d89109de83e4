import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_DIR, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('xunshi CLI', () => {
  it('analyze prints a summary table with Chinese and English labels', () => {
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'summary']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('问题 Problem');
    expect(r.stdout).toContain('贯彻落实决策部署 Carrying out decisions');
    expect(r.stdout).toMatch(/evidence phrase/);
  });

  it('analyze --format json prints one Report with evidence', () => {
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.passages.some((p: { function: string }) => p.function === 'problem')).toBe(true);
  });

  it('rules test runs every example and exits 0', () => {
    const r = run(['rules', 'test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ rules, \d+ examples: \d+ passed, 0 failed$/m);
  });

  it('a bad rules folder is reported with file:line:col and exit code 2, before any input is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-cli-rules-'));
    cpSync(join(REPO_DIR, 'rules'), dir, { recursive: true });
    writeFileSync(join(dir, 'categories/conduct/broken.yaml'), 'rules:\n  - id: x\n    kind: terms\n    category: conduct.formalism\n    colour: red\n    terms: [a]\n    examples: {match: [a], noMatch: [b]}\n');
    const r = run(['analyze', '--rules', dir, '--format', 'jsonl', 'corpus/tuning/feedback-02.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml:5:5: unknown key "colour" \[XUNSHI_RULE_INVALID\]/);
    expect(r.stdout).toBe('');
  });

  it('eval scores a gold folder with the protocol figures and lists the worst units', () => {
    const r = run(['eval', '--gold', 'corpus/tuning', '--format', 'json', '--worst', '5']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.documents).toBeGreaterThanOrEqual(20);
    expect(Object.keys(result.overall.categories.labels)).toEqual(['political', 'organizational', 'conduct', 'discipline']);
    expect(result.overall.functions.accuracy).toBeGreaterThan(0.5);
    expect(result.worst).toHaveLength(5);
    expect(result.worst[0]).toHaveProperty('rules');
    expect(Object.keys(result.perKind)).toEqual(expect.arrayContaining(['analysis', 'feedback', 'negative', 'rectification', 'traditional']));
    const text = run(['eval', '--gold', 'corpus/tuning', '--worst', '2']);
    expect(text.stdout).toContain('category micro-F1');
    expect(text.stdout).toContain('worst units (gold → system)');
  });

  it('eval refuses gold naming a subcategory the rules do not have (exit 2), instead of scoring it as an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-cli-gold-sub-'));
    writeFileSync(join(dir, 'a.txt'), '一些干部形式主义问题突出。');
    const unit = { i: 0, start: 0, end: 13, function: 'problem', categories: [{ id: 'conduct', subcategory: 'conduct.formalsim' }], rootCauses: [] };
    writeFileSync(join(dir, 'a.gold.json'), JSON.stringify({ doc: 'a.txt', units: [unit] }));
    const r = run(['eval', '--gold', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.gold.json: unit 0: subcategory "conduct.formalsim" is not in the rules\' taxonomy (conduct: conduct.formalism, conduct.hedonism, conduct.masses, or null) [XUNSHI_GOLD_INVALID]');
    expect(r.stdout).toBe('');
    unit.categories[0]!.subcategory = 'conduct.formalism';
    writeFileSync(join(dir, 'a.gold.json'), JSON.stringify({ doc: 'a.txt', units: [unit] }));
    expect(run(['eval', '--gold', dir]).code).toBe(0);
  });

  it('a usage mistake is one line and a pointer to --help, not the whole help; figures may carry white space around them', () => {
    for (const args of [['analyze', 'x.txt', '-f', 'jsn'], ['eval', '--gold', 'corpus/tuning', '--format', 'xml']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: option .* is invalid\. Allowed choices are .*\n\(add --help for the command's options\)\n$/);
      expect(r.stdout).toBe('');
    }
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--jobs', ' 1 ', '--max-size', ' 5M', '--format', 'jsonl']);
    expect(r.code).toBe(0);
    expect(run(['analyze', 'corpus/tuning/feedback-02.txt', '--jobs', '1 x']).stderr).toContain('--jobs expects a positive whole number, got "1 x"');
  });

  it('an empty --rules (a blank variable) and --extend-rules without --rules are usage errors, not the working folder read as rules or a flag ignored', () => {
    const empty = run(['analyze', 'corpus/tuning/feedback-02.txt', '--rules', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--rules expects a folder, got an empty value');
    for (const args of [['analyze', 'corpus/tuning/feedback-02.txt', '--extend-rules'], ['rules', 'test', '--extend-rules']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--extend-rules adds the folders of --rules to the shipped rules: name one with --rules DIR [XUNSHI_USAGE]');
    }
  });

  it('analyze --out naming a FIFO is a usage error before anything is read, and the FIFO stays one', () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'xunshi-cli-fifo-')), 'out.jsonl');
    spawnSync('mkfifo', [fifo]);
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'jsonl', '--out', fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out: cannot write ${fifo}: it is a FIFO (named pipe)`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('analyze --out /dev/stdout on a pipe is the same usage error (the link leads to a pipe with no path: it failed after the batch)', () => {
    // run() captures standard output through a socket pair (Node's spawnSync), as `| cat` would through a pipe.
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'jsonl', '--out', '/dev/stdout']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out: cannot write \/dev\/stdout: it is a (?:FIFO \(named pipe\)|socket)/);
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" analyze corpus/tuning/feedback-02.txt --format jsonl --out /dev/stdout | cat`], { cwd: REPO_DIR, encoding: 'utf8' });
    expect(piped.stderr).toContain('--out: cannot write /dev/stdout: it is a FIFO (named pipe)');
  });

  it('analyze --out where no folder can be made (/proc) fails at once with exit 1 (Node\'s recursive mkdir looped for ever)', () => {
    const r = run(['analyze', 'corpus/tuning/feedback-02.txt', '--format', 'json', '--out', '/proc/xunshi-no-such-folder']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write output: no folder can be made there (ENOENT): /proc/xunshi-no-such-folder [XUNSHI_OUTPUT_FAILED]');
  });

  it('a working folder removed since the shell entered it is a usage error (exit 2), not an internal one', () => {
    const gone = join(mkdtempSync(join(tmpdir(), 'xunshi-cli-cwd-')), 'gone');
    const r = spawnSync('sh', ['-c', `mkdir "${gone}" && cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${BIN}" analyze "${join(REPO_DIR, 'corpus/tuning/feedback-02.txt')}" --format json`], { encoding: 'utf8' });
    expect(r.stderr).toBe('the working folder no longer exists (ENOENT): cd to a folder that does, and run the command again [XUNSHI_USAGE]\n');
    expect(r.status).toBe(2);
  });

  it('--encoding takes the spellings users write (GBK, GB2312, UTF-8, utf8, Big5-HKSCS) as the encodings they name', () => {
    const gb = run(['analyze', 'corpus/tuning/rectification-05-gbk.txt', '--encoding', 'gb18030', '--format', 'jsonl']);
    expect(gb.code).toBe(0);
    for (const spelling of ['GBK', 'gb2312', 'CP936']) expect(run(['analyze', 'corpus/tuning/rectification-05-gbk.txt', '--encoding', spelling, '--format', 'jsonl']).stdout).toBe(gb.stdout);
    expect(run(['analyze', 'corpus/tuning/feedback-02.txt', '--encoding', 'UTF8', '--format', 'jsonl']).stdout).toBe(run(['analyze', 'corpus/tuning/feedback-02.txt', '--encoding', 'utf-8', '--format', 'jsonl']).stdout);
    const bad = run(['analyze', 'corpus/tuning/feedback-02.txt', '--encoding', 'latin1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--encoding expects auto, utf-8, gb18030 (or gbk, gb2312) or big5, got "latin1"');
  });

  it('a --files-from list separated by NUL characters, and - named twice, are usage errors that say so', () => {
    const list = join(mkdtempSync(join(tmpdir(), 'xunshi-cli-nul-')), 'list');
    writeFileSync(list, 'corpus/tuning/feedback-02.txt\0corpus/tuning/analysis-01.txt\0');
    const nul = run(['analyze', '--files-from', list]);
    expect(nul.code).toBe(2);
    expect(nul.stderr).toBe(`--files-from list ${list} holds NUL characters (a find -print0 list?): it takes one path per line [XUNSHI_USAGE]\n`);
    const twice = run(['analyze', '-', '-'], '');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('standard input (-) is named more than once: it can be read only once [XUNSHI_USAGE]\n');
  });

  it('an unknown option is a usage error (exit 2)', () => {
    expect(run(['analyze', '--nonsense', 'x.txt']).code).toBe(2);
  });

  it('--rules with a folder holding one error of each kind reports them all, one file:line:col line each, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-cli-broken-'));
    cpSync(join(REPO_DIR, 'rules'), dir, { recursive: true });
    const rule = (extra: string, body = 'terms: [以文件落实文件]') =>
      `rules:\n  - id: x\n    kind: terms\n    category: conduct.formalism\n${extra}    ${body}\n    examples: {match: [以文件落实文件], noMatch: [落实文件]}\n`;
    writeFileSync(join(dir, 'categories/conduct/e2e-syntax.yaml'), 'rules:\n  - id: x\n    kind: [unclosed\n');
    writeFileSync(join(dir, 'categories/conduct/e2e-key.yaml'), rule('    colour: red\n'));
    writeFileSync(join(dir, 'categories/conduct/e2e-pattern.yaml'), rule('', 'pattern: "以文件(落实"').replace('kind: terms', 'kind: pattern'));
    writeFileSync(join(dir, 'lexicon/e2e.txt'), '以文件落实文件 often n\n');
    const unitTypes = join(dir, 'facts/unit-types.yaml');
    writeFileSync(unitTypes, readFileSync(unitTypes, 'utf8').replace('  - id: soe\n', '  - id: soe\n    colour: red\n'));
    const taxonomy = join(dir, 'taxonomy.yaml');
    writeFileSync(taxonomy, readFileSync(taxonomy, 'utf8').replace('\nrootCauses:', '\n  - { id: economy, zh: 经济, en: Economy, subcategories: [{ id: economy.waste, zh: 浪费, en: Waste }] }\nrootCauses:'));
    const r = run(['analyze', '--rules', dir, '--format', 'jsonl', 'corpus/tuning/feedback-02.txt']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^.+:\d+:\d+: .+ \[XUNSHI_RULE_INVALID\]$/);
    const where = lines.map((l) => /^(.+?:\d+:\d+): /.exec(l)![1]!.slice(dir.length + 1)).sort();
    // Positions in the shipped files depend on their length: the taxonomy's new category stands where rootCauses was,
    // the unit type's bad key right under `- id: soe`.
    const lineOf = (file: string, text: string): number => readFileSync(join(REPO_DIR, 'rules', file), 'utf8').split('\n').indexOf(text) + 1;
    expect(where).toEqual([
      'categories/conduct/e2e-key.yaml:5:5',
      'categories/conduct/e2e-pattern.yaml:5:14',
      'categories/conduct/e2e-syntax.yaml:4:1',
      `facts/unit-types.yaml:${lineOf('facts/unit-types.yaml', '  - id: soe') + 1}:5`,
      'lexicon/e2e.txt:1:9',
      `taxonomy.yaml:${lineOf('taxonomy.yaml', 'rootCauses:')}:11`,
    ]);
    expect(r.stderr).toMatch(/taxonomy\.yaml:\d+:11: unknown category "economy"/);
  });

  it('--rules replaces the shipped unit types', () => {
    // The shipped list finds county:某县 here. That a folder without a list has none and that --extend-rules merges
    // lists by id is checked without a process each in packages/rules/test/unit-types.test.ts.
    const text = '某县国营农场违规发放补贴3万元。\n';
    const unitTypesOf = (args: string[]): string[] => {
      const r = run(['analyze', '-', '--format', 'json', ...args], text);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { passages: { facts: { kind: string; type?: string; text: string }[] }[] };
      return report.passages.flatMap((p) => p.facts.filter((f) => f.kind === 'unitType').map((f) => `${f.type}:${f.text}`));
    };
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-cli-unit-types-'));
    cpSync(join(REPO_DIR, 'rules'), dir, { recursive: true });
    writeFileSync(join(dir, 'facts/unit-types.yaml'), 'version: 1\ndeterminers: [某]\ntypes:\n  - { id: farm, label: { zh: 农场, en: farm }, terms: [国营农场] }\n');
    expect(unitTypesOf(['--rules', dir])).toEqual(['farm:国营农场']);
  });
});

describe('xunshi CLI options (issue 11, defect 10)', () => {
  const doc = 'corpus/tuning/feedback-02.txt';

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'packages/xunshi/package.json'), 'utf8')) as { version: string };
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--rules takes one folder and leaves the inputs after it alone; the same file named twice is analysed once, and said', () => {
    const r = run(['analyze', '--rules', 'rules', doc, `./${doc}`, '--format', 'jsonl', '--jobs', '1']);
    expect(r.stderr).not.toMatch(/rules folder/);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`xunshi: 1 input(s) named more than once were analysed once: ./${doc}`);
    const quiet = run(['analyze', doc, doc, '--format', 'summary', '--jobs', '1', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('--format json with several inputs and no --out is a usage error that points to jsonl and --out', () => {
    const r = run(['analyze', doc, 'corpus/tuning/analysis-01.txt', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--format json prints one report; 2 inputs need --format jsonl \(one report per line\) or --out DIR \(one file per input\) \[XUNSHI_USAGE\]/);
  });
});

// Issue 11, defect 6: an output path that is one of the inputs is a usage error before anything is analysed.
describe('--out never overwrites an input', () => {
  const TEXT = readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-02.txt'), 'utf8');
  const setUp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-out-clash-'));
    writeFileSync(join(dir, 'a.txt'), TEXT);
    writeFileSync(join(dir, 'b.txt'), TEXT);
    return dir;
  };

  it.each(['jsonl', 'csv', 'summary'])('--format %s --out naming an input: exit 2, the input untouched', (format) => {
    const dir = setUp();
    const r = run(['analyze', '--format', format, '--out', join(dir, 'b.txt'), join(dir, 'a.txt'), join(dir, 'b.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/XUNSHI_USAGE/);
    expect(r.stderr).toContain('b.txt');
    expect(r.stderr).toMatch(/input/);
    expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe(TEXT);
  });

  it('--out naming an input inside a folder that is walked: exit 2', () => {
    const dir = setUp();
    const r = run(['analyze', '--format', 'jsonl', '--out', join(dir, 'a.txt'), dir]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe(TEXT);
  });

  it('--format json --out DIR whose errors.jsonl is an input: exit 2, the input untouched', () => {
    const dir = setUp();
    writeFileSync(join(dir, 'errors.jsonl'), TEXT);
    const r = run(['analyze', '--format', 'json', '--format-in', 'text', '--out', dir, join(dir, 'a.txt'), join(dir, 'errors.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('errors.jsonl');
    expect(readFileSync(join(dir, 'errors.jsonl'), 'utf8')).toBe(TEXT);
  });

  it('--format html --out DIR whose index.html is an input: exit 2, the input untouched', () => {
    const dir = setUp();
    const page = '<html><body><p>巡视发现，该单位落实主体责任不到位。</p></body></html>';
    writeFileSync(join(dir, 'index.html'), page);
    const r = run(['analyze', '--format', 'html', '--out', dir, join(dir, 'index.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('index.html');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe(page);
  });
});

// Issue 11, defect 5: Big5 input was decoded as GB18030 (mojibake, no categories).
describe('Big5 input', () => {
  it('the traditional-script sample as Big5 gives the same analysis as the UTF-8 file, detected or with --encoding big5', async () => {
    const { encodeBig5 } = await import('../packages/document/test/support/cjk-encode.js');
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-big5-'));
    const text = readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-07-trad.txt'), 'utf8');
    writeFileSync(join(dir, 'trad-big5.txt'), encodeBig5(text));
    const utf8 = run(['analyze', '--format', 'json', 'corpus/tuning/feedback-07-trad.txt']);
    expect(utf8.code).toBe(0);
    const expected = JSON.parse(utf8.stdout);
    expect(expected.passages.some((p: { categories: unknown[] }) => p.categories.length > 0)).toBe(true);
    for (const extra of [[], ['--encoding', 'big5']]) {
      const r = run(['analyze', '--format', 'json', ...extra, join(dir, 'trad-big5.txt')]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.source.encoding).toBe('big5');
      expect(report.source.length).toBe(expected.source.length);
      expect(report.passages).toEqual(expected.passages);
    }
    const gb = run(['analyze', '--format', 'json', 'corpus/tuning/rectification-05-gbk.txt']);
    expect(JSON.parse(gb.stdout).source.encoding).toBe('gb18030');
  });
});
