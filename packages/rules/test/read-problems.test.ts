// Files of a rules folder that cannot be read as meant: bytes that are not UTF-8, a link to nothing, a folder linked
// back into itself. Each is a rule problem naming the file (and, for bad bytes, the line and column), never mojibake
// passed on as terms and never an internal error.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { GOOD_RULE, expectRuleLoadError, scratchRules as scratch } from './load-error.js';

const rule = GOOD_RULE;
const scratchRules = (files: Record<string, string | Buffer>): string => scratch(files, 'xunshi-read-');

const where = (dir: string, e: ReturnType<typeof expectRuleLoadError>): string[] =>
  e.issues.map((i) => `${i.file!.slice(dir.length + 1)}${i.line ? `:${i.line}:${i.column}` : ''}: ${i.message}`);

describe('reading a rules folder', () => {
  it('refuses a rule file that is not UTF-8 (a GB18030 file) at its first bad byte', () => {
    // 以 in GB18030 is D2 D4: not UTF-8. Line 5, after "    terms: [".
    const gb = Buffer.concat([Buffer.from(rule.slice(0, rule.indexOf('以文件落实文件'))), Buffer.from([0xd2, 0xd4]), Buffer.from(rule.slice(rule.indexOf('以文件落实文件') + 1))]);
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': gb });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([
      'categories/conduct/formalism.yaml:5:13: not UTF-8: a rules-folder file must be saved as UTF-8 (a GB18030/GBK or Big5 file would be read as mojibake)',
    ]);
  });

  it('refuses a lexicon file with bytes that are not UTF-8, and keeps a UTF-8 BOM as before', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': `\ufeff${rule}`, 'lexicon/a.txt': Buffer.from([0x41, 0x20, 0x33, 0x0a, 0xff, 0x0a]) });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([expect.stringMatching(/^lexicon\/a\.txt:2:1: not UTF-8/)]);
  });

  it('refuses a term that is white space or has white space around it (a term " " fired on every space)', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule.replace('terms: [', 'terms: [" ", " 文山会海", ') });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([
      'categories/conduct/formalism.yaml:5:13: /rules/0/terms/0 must not be or start or end with white space',
      'categories/conduct/formalism.yaml:5:18: /rules/0/terms/1 must not be or start or end with white space',
    ]);
  });

  it('refuses YAML\'s .inf and .nan wherever a number goes (JSON Schema\'s bounds let Infinity through), once each', () => {
    const scoring = readFileSync(join(getDefaultRulesDir(), 'scoring.yaml'), 'utf8').replace(/threshold: [0-9.]+/, 'threshold: .inf');
    const dir = scratchRules({ 'scoring.yaml': scoring, 'categories/conduct/formalism.yaml': rule.replace('kind: terms', 'kind: terms\n    weight: .nan') });
    const line = scoring.split('\n').findIndex((l) => l.includes('threshold: .inf')) + 1;
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([
      `scoring.yaml:${line}:14: /category/threshold must be a finite number, got .inf`,
      'categories/conduct/formalism.yaml:4:13: /rules/0/weight must be a finite number, got .nan',
    ]);
  });

  it('names misnamed files instead of passing over them: .YAML, taxonomy.yml, a file of facts/ other than unit-types.yaml', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.YAML': rule, 'facts/unit-type.yaml': 'version: 1\n' });
    cpSync(join(dir, 'scoring.yaml'), join(dir, 'scoring.yml'));
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([
      'categories/conduct/formalism.YAML: write the extension in lower case (.yaml): a file named formalism.YAML is not read',
      'scoring.yml: name it scoring.yaml: the file is found by that name only',
      'facts/unit-type.yaml: facts/ holds only unit-types.yaml: this file is not read (a misspelt name?)',
    ]);
  });

  it('names a list name its pattern refuses, and a list that uses another, once each: the rules using them add no errors', () => {
    const lists = 'lists:\n  Bad_Name: [形式]\n  good: ["@other", 文山]\n  other: [会海]\n';
    const user = rule.replace('terms: [以文件落实文件]', 'terms: ["@Bad_Name", "@good"]');
    const dir = scratchRules({ 'lists/a.yaml': lists, 'categories/conduct/formalism.yaml': user });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([
      'lists/a.yaml:2:3: name "Bad_Name" must be lower-case letters and digits in words joined by "-" (^[a-z][a-z0-9]*(-[a-z0-9]+)*$)',
      'lists/a.yaml:3:10: /lists/good/0: a list cannot use another list (@name); write its terms, or use both lists in the rule',
    ]);
  });

  it('reports a link to nothing and skips hidden files (an editor lock file .#name.yaml)', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule });
    symlinkSync(join(dir, 'nowhere'), join(dir, 'categories/conduct/.#formalism.yaml'));
    expect(loadRuleSet({ dirs: [dir] }).rules.map((r) => r.id)).toEqual(['conduct.formalism.paper']);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'categories/conduct/gone.yaml'));
    expect(where(dir, expectRuleLoadError([dir]))).toEqual(['categories/conduct/gone.yaml: cannot read: no such file or folder (a link to nothing?) (ENOENT)']);
  });

  it('reports a folder linked back into the rules folder once, instead of walking it until the path is too long', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule });
    symlinkSync('..', join(dir, 'categories/up'));
    const lines = where(dir, expectRuleLoadError([dir]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^categories\/up: a link back to .*, which holds it/);
  });
});

describe('several rules folders', () => {
  it('lets a later folder replace a rule of an earlier one whose path starts like its own', () => {
    // `rules-old` then `rules`: the second path is a prefix of the first, which made every replaced rule a "duplicate".
    const old = scratchRules({ 'categories/conduct/formalism.yaml': rule });
    const dir = `${old}-x`;
    cpSync(old, dir, { recursive: true });
    const [later, earlier] = [old, dir];
    const rs = loadRuleSet({ dirs: [earlier, later] });
    expect(rs.rules.map((r) => r.file)).toEqual([join(later, 'categories/conduct/formalism.yaml')]);
  });

  it('still refuses the same id twice in one folder', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule, 'categories/conduct.formalism.yaml': rule });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([expect.stringMatching(/^categories\/conduct\.formalism\.yaml:2:5: duplicate rule id "conduct\.formalism\.paper" \(first at .*categories\/conduct\/formalism\.yaml:2\)$/)]);
  });
});

describe('lexicon lines as nodejieba reads them', () => {
  // nodejieba reads the lexicon files by path and splits a line on single spaces only, taking two fields as a word and
  // a tag: each of these lines was accepted and loaded as another word than the file shows (问题单位 was not kept whole).
  const cases: [string, string | Buffer, string][] = [
    ['a tab between fields', '问题单位\t3000\tn\n', '1:5: lexicon fields must be separated by exactly one space'],
    ['two spaces', '问题单位  3000 n\n', '1:5: lexicon fields must be separated by exactly one space'],
    ['a space before the word', ' 问题单位 3000 n\n', '1:1: lexicon fields must be separated by exactly one space'],
    ['a byte-order mark', '\ufeff问题单位 3000 n\n', '1:1: lexicon file starts with a byte-order mark'],
    ['a frequency without a tag', '问题单位 3000\n', '1:6: lexicon line must be "word freq tag" (or a lone word): the segmenter reads "word freq" as a word and a tag'],
    ['a lone word with a Windows line end', '问题单位\r\n', '1:5: a Windows line end (CR) after a lone word'],
  ];
  for (const [what, text, problem] of cases) {
    it(`refuses ${what}`, () => {
      const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule, 'lexicon/a.txt': text });
      const lines = where(dir, expectRuleLoadError([dir]));
      expect(lines).toHaveLength(1);
      expect(lines[0]!.startsWith(`lexicon/a.txt:${problem}`)).toBe(true);
    });
  }

  it('accepts word freq tag with Windows line ends, a lone word and comments', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule, 'lexicon/a.txt': '# 词 频 性\r\n问题单位 3000 n\r\n单位问题\n\n' });
    expect(loadRuleSet({ dirs: [dir] }).lexicon.entries).toEqual([{ word: '问题单位', freq: 3000, tag: 'n' }, { word: '单位问题' }]);
  });

  it('refuses a lexicon in a folder whose path holds ";" or "|" (nodejieba splits its paths on them and aborted)', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule, 'lexicon/a.txt': '问题单位 3000 n\n' });
    const odd = `${dir};b`;
    cpSync(dir, odd, { recursive: true });
    const lines = where(odd, expectRuleLoadError([odd]));
    expect(lines).toEqual(['lexicon/a.txt: the path of a lexicon file may not hold "|" or ";": nodejieba takes them as separators between dictionary files (and aborts on the pieces); rename the folder']);
  });
});

describe('messages a rule author can act on', () => {
  it('says where a second YAML document starts, without the library advice for programmers', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': `${rule}---\nrules: []\n` });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual(['categories/conduct/formalism.yaml:9:1: YAML: a rules file holds one YAML document, and this "---" starts a second']);
  });

  it('says once that a rules folder is missing, not also that it lacks taxonomy.yaml and scoring.yaml', () => {
    const dir = join(tmpdir(), 'xunshi-no-such-rules-folder');
    expect(expectRuleLoadError([dir]).issues.map((i) => i.message)).toEqual(['rules folder not found']);
  });
});

describe('shared term lists', () => {
  const useList = `rules:
  - id: paper
    kind: terms
    category: conduct.formalism
    terms: ["@paper"]
    examples:
      match: [存在以文件落实文件现象]
      noMatch: [严格执行制度]
`;

  it('refuses a list name that two files of one folder define (the later file silently won)', () => {
    const dir = scratchRules({
      'categories/conduct/formalism.yaml': useList,
      'lists/a.yaml': 'lists:\n  paper: [以文件落实文件]\n',
      'lists/b.yaml': 'lists:\n  other: [会海]\n  paper: [文山会海]\n',
    });
    expect(where(dir, expectRuleLoadError([dir]))).toEqual([`lists/b.yaml:3:3: list "@paper" is also defined at ${join(dir, 'lists/a.yaml')}:2`]);
  });

  it('lets a later folder replace a list of an earlier one', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': useList, 'lists/a.yaml': 'lists:\n  paper: [以文件落实文件]\n' });
    const later = mkdtempSync(join(tmpdir(), 'xunshi-read-'));
    mkdirSync(join(later, 'lists'));
    writeFileSync(join(later, 'lists/b.yaml'), 'lists:\n  paper: [文山会海]\n');
    expect(loadRuleSet({ dirs: [dir, later] }).terms).toEqual(['文山会海']);
  });
});

describe('taxonomy', () => {
  it('refuses a label id listed twice (two names for one subcategory; the output would pick one)', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': rule });
    const taxonomy = join(dir, 'taxonomy.yaml');
    const text = readFileSync(taxonomy, 'utf8');
    const line = text.split('\n').find((l) => l.includes('id: conduct.formalism,'))!;
    writeFileSync(taxonomy, text.replace(line, `${line}\n${line.replace(/zh: [^,]+/, 'zh: 重复')}`).replace('  - { id: ideology,', '  - { id: ideology, zh: 思想, en: Ideology }\n  - { id: ideology,'));
    const lines = where(dir, expectRuleLoadError([dir]));
    expect(lines).toEqual([expect.stringMatching(/^taxonomy\.yaml:\d+:\d+: root cause "ideology" is listed twice$/), expect.stringMatching(/^taxonomy\.yaml:\d+:\d+: subcategory "conduct\.formalism" is listed twice$/)]);
  });
});
