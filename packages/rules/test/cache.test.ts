// The compiled-ruleset cache: a second load of the same rules comes from the cache and is the same ruleset; any change
// of a rule file is a new entry; a damaged entry is a miss; `XUNSHI_CACHE_DIR=off` writes nothing.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDefaultRulesDir, getRulesCacheDir, loadRuleSet, type RuleSet } from '@xunshi/rules';

const rule = (term: string): string => `rules:
  - id: paper
    kind: terms
    category: conduct.formalism
    terms: [${term}]
    examples:
      match: [存在${term}现象]
      noMatch: [严格执行制度]
  - id: shape
    kind: pattern
    category: conduct.formalism
    pattern: "(会议|文件)[^，。]{0,4}过多"
    examples:
      match: [会议实在过多]
      noMatch: [严格执行制度]
`;

function scratchRules(term: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-cache-rules-'));
  cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
  cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
  mkdirSync(join(dir, 'categories'));
  writeFileSync(join(dir, 'categories', 'conduct.yaml'), rule(term));
  return dir;
}

/** A ruleset without what is rebuilt or timed on each load. */
const comparable = (r: RuleSet): unknown => ({ ...r, automaton: undefined, compileMs: undefined });

let cacheRoot: string;
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.XUNSHI_CACHE_DIR;
  cacheRoot = mkdtempSync(join(tmpdir(), 'xunshi-cache-'));
  process.env.XUNSHI_CACHE_DIR = cacheRoot;
});
afterEach(() => {
  if (saved === undefined) delete process.env.XUNSHI_CACHE_DIR;
  else process.env.XUNSHI_CACHE_DIR = saved;
  rmSync(cacheRoot, { recursive: true, force: true });
});

const entries = (): string[] => readdirSync(getRulesCacheDir()!);

describe('compiled-ruleset cache', () => {
  it('serves a second load from one entry, with the same rules, patterns and automaton', () => {
    const dir = scratchRules('以文件落实文件');
    const first = loadRuleSet({ dirs: [dir] });
    expect(entries()).toHaveLength(1);
    const second = loadRuleSet({ dirs: [dir] });
    expect(entries()).toHaveLength(1);
    expect(comparable(second)).toEqual(comparable(first));
    const text = '有的单位以文件落实文件，会议实在过多';
    expect(second.automaton.search(text)).toEqual(first.automaton.search(text));
    const regex = second.rules.find((r) => r.kind === 'pattern')!.regex!;
    expect(regex.flags).toBe('g');
    expect(text.match(regex)).toEqual(['会议实在过多']);
  });

  it('takes any change of a rule file as a new ruleset', () => {
    const dir = scratchRules('以文件落实文件');
    const before = loadRuleSet({ dirs: [dir] });
    writeFileSync(join(dir, 'categories', 'conduct.yaml'), rule('以会议落实会议'));
    const after = loadRuleSet({ dirs: [dir] });
    expect(after.hash).not.toBe(before.hash);
    expect(after.terms).toContain('以会议落实会议');
    expect(after.terms).not.toContain('以文件落实文件');
    expect(entries()).toHaveLength(2);
  });

  it('reads a damaged entry as a miss and replaces it', () => {
    const dir = scratchRules('以文件落实文件');
    const first = loadRuleSet({ dirs: [dir] });
    const [entry] = entries();
    writeFileSync(join(getRulesCacheDir()!, entry!), 'not a ruleset');
    const again = loadRuleSet({ dirs: [dir] });
    expect(comparable(again)).toEqual(comparable(first));
    expect(entries()).toEqual([entry]);
    expect(comparable(loadRuleSet({ dirs: [dir] }))).toEqual(comparable(first));
  });

  it('reads an entry changed on disk that still deserialises (a term\'s bytes altered) as a miss: never other rules under the same hash', () => {
    const dir = scratchRules('以文件落实文件');
    const first = loadRuleSet({ dirs: [dir] });
    const [entry] = entries();
    const file = join(getRulesCacheDir()!, entry!);
    const bytes = readFileSync(file);
    const from = Buffer.from('以文件落实文件', 'utf16le');
    const at = bytes.indexOf(from);
    expect(at).toBeGreaterThan(0);
    Buffer.from('以文件落实文件'.replace('件', '仵'), 'utf16le').copy(bytes, at);
    writeFileSync(file, bytes);
    const again = loadRuleSet({ dirs: [dir] });
    expect(again.terms).toContain('以文件落实文件');
    expect(comparable(again)).toEqual(comparable(first));
  });

  it('stores nothing when turned off, and never a ruleset with problems', () => {
    process.env.XUNSHI_CACHE_DIR = 'off';
    expect(getRulesCacheDir()).toBeUndefined();
    loadRuleSet({ dirs: [scratchRules('以文件落实文件')] });
    process.env.XUNSHI_CACHE_DIR = cacheRoot;
    const broken = scratchRules('以文件落实文件');
    writeFileSync(join(broken, 'categories', 'conduct.yaml'), 'rules: [');
    expect(() => loadRuleSet({ dirs: [broken] })).toThrow();
    expect(readdirSync(cacheRoot)).toEqual([]);
  });

  it('keys an entry by the folder each file is in: a lexicon moved to the next folder is not read from its old path', () => {
    // The ruleset hash (paths below each folder, bytes) is the same before and after the move; the compiled ruleset
    // names the lexicon file that nodejieba opens, and an entry naming the old path made nodejieba abort the process.
    const a = scratchRules('以文件落实文件');
    const b = mkdtempSync(join(tmpdir(), 'xunshi-cache-rules-'));
    mkdirSync(join(a, 'lexicon'));
    writeFileSync(join(a, 'lexicon', 'domain.txt'), '以文件落实文件 3000 n\n');
    const before = loadRuleSet({ dirs: [a, b] });
    expect(before.lexicon.files).toEqual([join(a, 'lexicon', 'domain.txt')]);
    mkdirSync(join(b, 'lexicon'));
    renameSync(join(a, 'lexicon', 'domain.txt'), join(b, 'lexicon', 'domain.txt'));
    const after = loadRuleSet({ dirs: [a, b] });
    expect(after.hash).toBe(before.hash);
    expect(after.lexicon.files).toEqual([join(b, 'lexicon', 'domain.txt')]);
  });

  it('means no cache when a file stands where the cache folder would be', () => {
    const file = join(cacheRoot, 'not-a-folder');
    writeFileSync(file, '');
    process.env.XUNSHI_CACHE_DIR = file;
    const dir = scratchRules('以文件落实文件');
    expect(loadRuleSet({ dirs: [dir] }).terms).toContain('以文件落实文件');
    expect(loadRuleSet({ dirs: [dir] }).terms).toContain('以文件落实文件');
  });
});
