import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeGoldFixture } from './support/gold-fixture.js';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_DIR, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// One gold folder for the whole file: the project's sample reports, four sites, two held-out documents whose gold
// files are not JSON (reading one would fail), one document outside the index.
const fx = writeGoldFixture();

describe('xunshi eval --part', () => {
  it('scores only the documents of that part', () => {
    const r = run(['eval', '--gold', fx.dir, '--part', 'tuning', '--format', 'json', '--worst', '0']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.documents).toBe(fx.tuning.length);
    const text = run(['eval', '--gold', fx.dir, '--part', 'tuning', '--worst', '0']);
    expect(text.stdout).toMatch(/^xunshi eval \(rules, part tuning\): \d+ document\(s\)/);
  });

  it('an unknown part or a folder without a part column is a usage error (exit 2)', () => {
    const r = run(['eval', '--gold', fx.dir, '--part', 'train']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/index\.tsv: --part train: unknown part; the index\.tsv below .* names held-out, tuning \[XUNSHI_USAGE\]/);
    const noPart = writeGoldFixture({ partColumn: false });
    const r2 = run(['eval', '--gold', noPart.dir, '--part', 'tuning']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/no index\.tsv below .* has a "part" column/);
  });
});

describe('xunshi eval --intervals, --versus, and the held-out part', () => {
  it('--intervals gives the same 95% intervals over documents on every run, in text and JSON', () => {
    const a = run(['eval', '--gold', fx.dir, '--part', 'tuning', '--intervals', '200', '--worst', '0']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(new RegExp(`^95% intervals over documents \\(200 resamples of ${fx.tuning.length}\\): category [01]\\.\\d{3}–[01]\\.\\d{3} {2}root cause `, 'm'));
    expect(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--intervals', '200', '--worst', '0']).stdout).toBe(a.stdout);
    const j = JSON.parse(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--intervals', '--format', 'json', '--worst', '0']).stdout);
    expect(j.intervals).toMatchObject({ level: 0.95, resamples: 1000, documents: fx.tuning.length });
    expect(j.intervals.function[0]).toBeLessThanOrEqual(j.overall.functions.accuracy);
    expect(j.perDocumentCounts).toBeUndefined();
    for (const bad of ['0', 'many']) {
      const r = run(['eval', '--gold', fx.dir, '--intervals', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--intervals expects a whole number of at least 1/);
    }
    const huge = run(['eval', '--gold', fx.dir, '--intervals', '99999999999']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/--intervals expects a whole number of at most 100000/);
  });

  it('--versus rules and the --baseline folder are checked before anything is scored (a broken gold file shows they were)', () => {
    const gold = mkdtempSync(join(tmpdir(), 'xunshi-versus-early-'));
    writeFileSync(join(gold, 'a.txt'), '形式主义问题突出。\n');
    writeFileSync(join(gold, 'a.gold.json'), '{ not json');
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-versus-rules-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'categories/conduct/zz.yaml'), 'rules: [{id: Bad}]\n');
    const versus = run(['eval', '--gold', gold, '--versus', rules]);
    expect(versus.code).toBe(2);
    expect(versus.stderr).toContain('XUNSHI_RULE_INVALID');
    expect(versus.stderr).not.toContain('XUNSHI_GOLD_INVALID');
    const baseline = run(['eval', '--gold', gold, '--baseline', join(gold, 'no-such-folder')]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toBe(`--baseline: the training folder ${join(gold, 'no-such-folder')} does not exist [XUNSHI_USAGE]\n`);
  });

  it('--versus scores other rules on the same documents: the same rules differ by nothing', () => {
    const r = run(['eval', '--gold', fx.dir, '--part', 'tuning', '--versus', join(REPO_DIR, 'rules'), '--intervals', '100', '--worst', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^versus .*rules: category micro-F1 /m);
    expect(r.stdout).toMatch(/^these rules minus the others, with 95% paired intervals over documents \(100 resamples of \d+\): category \+0\.000 \(\+0\.000 to \+0\.000\) {2}root cause \+0\.000 .* function \+0\.000 \(\+0\.000 to \+0\.000\)/m);
    const j = JSON.parse(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--versus', join(REPO_DIR, 'rules'), '--format', 'json', '--worst', '0']).stdout);
    expect(j.versus.difference).toMatchObject({ resamples: 1000, difference: { category: 0, function: 0 } });
    expect(run(['eval', '--gold', fx.dir, '--versus', join(fx.dir, 'no-such-rules')]).code).toBe(2);
  });

  it('--out-of-fold reads each document with the models refitted without its site, and says so', () => {
    const r = run(['eval', '--gold', fx.dir, '--part', 'tuning', '--out-of-fold', fx.dir, '--worst', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^xunshi eval \(rules, part tuning; function and category models out of fold: refitted on .* without each document's site \(5 folds, \d+ sites\)\): \d+ document\(s\)/);
    const j = JSON.parse(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--out-of-fold', fx.dir, '--format', 'json', '--worst', '0']).stdout);
    expect(j.outOfFold).toMatchObject({ folds: 5, models: ['function', 'category'] });
    // Without the option, the shipped models read every document.
    const plain = JSON.parse(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--format', 'json', '--worst', '0']).stdout);
    expect(plain.outOfFold).toBeUndefined();
    expect(j.documents).toBe(plain.documents);
    // With --versus, the other rules are refitted the same way: the same rules differ by nothing.
    const v = JSON.parse(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--out-of-fold', fx.dir, '--versus', join(REPO_DIR, 'rules'), '--format', 'json', '--worst', '0']).stdout);
    expect(v.versus.difference).toMatchObject({ difference: { category: 0, rootCause: 0, function: 0 } });
    expect(v.versus.overall).toEqual(j.overall);
    const missing = run(['eval', '--gold', fx.dir, '--out-of-fold', join(fx.dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gold folder not found/);
  });

  it('lists no worst units and no per-document figures of the held-out part unless asked for', () => {
    // A gold folder whose held-out documents have readable gold.
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-heldout-'));
    for (const id of ['feedback-01', 'analysis-01']) {
      for (const ext of ['.txt', '.gold.json']) cpSync(join(REPO_DIR, 'corpus/tuning', id + ext), join(dir, id + ext));
    }
    writeFileSync(join(dir, 'index.tsv'), 'id\tkind\tsite\tpart\nfeedback-01\tfeedback\ta.example\theld-out\nanalysis-01\tanalysis\tb.example\ttuning\n');
    const held = run(['eval', '--gold', dir, '--part', 'held-out']);
    expect(held.code).toBe(0);
    expect(held.stdout).not.toMatch(/worst units/);
    // Aggregates only: the headline and the per-kind line, no line per document (text or JSON).
    expect(held.stdout).toMatch(/^per kind of document\n {2}feedback /m);
    expect(held.stdout).toMatch(/^per document: not listed for the held-out part \(--per-document lists them\)$/m);
    expect(held.stdout).not.toMatch(/feedback-01\.txt/);
    const heldJson = JSON.parse(run(['eval', '--gold', dir, '--part', 'held-out', '--format', 'json']).stdout);
    expect(heldJson).toMatchObject({ perDocument: [], perDocumentHidden: true, documents: 1 });
    const shown = run(['eval', '--gold', dir, '--part', 'held-out', '--per-document']).stdout;
    expect(shown).toMatch(/^per document\n {2}feedback-01\.txt +category micro-F1 /m);
    expect(run(['eval', '--gold', dir, '--part', 'tuning']).stdout).toMatch(/^per document\n {2}analysis-01\.txt /m);
    expect(run(['eval', '--gold', dir, '--part', 'held-out', '--worst', '3']).stdout).toMatch(/^worst units \(gold → system\)$/m);
    expect(run(['eval', '--gold', dir, '--part', 'tuning']).stdout).toMatch(/^worst units/m);
    const bad = run(['eval', '--gold', dir, '--worst', '-1']);
    expect(bad.code).toBe(2);
  });
});

describe('xunshi rules fit', () => {
  it('refuses held-out documents, prints cross-validated accuracy, writes the same YAML twice', () => {
    const out = mkdtempSync(join(tmpdir(), 'xunshi-fit-'));
    const a = run(['rules', 'fit', '--gold', fx.dir, '--folds', '3', '--out', join(out, 'a.json')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^refused 2 document\(s\) of .* marked part=held-out: held-out texts are never used for fitting$/m);
    expect(a.stdout).toMatch(/^\d+ gold units from \d+ document\(s\), 5 site\(s\)/m);
    expect(a.stdout).toMatch(/^cross-validated function accuracy by site \(3 folds\): model 0\.\d{3} {2}rules without the model 0\.\d{3} {2}\(\d+ units\)$/m);
    expect(a.stdout).toMatch(/^ {2}feedback +model 0\.\d{3} {2}rules 0\.\d{3}/m);
    const b = run(['rules', 'fit', '--gold', fx.dir, '--folds', '3', '--out', join(out, 'b.json')]);
    expect(b.code).toBe(0);
    const yaml = readFileSync(join(out, 'a.json'), 'utf8');
    expect(readFileSync(join(out, 'b.json'), 'utf8')).toBe(yaml);
    expect(readdirSync(out).sort()).toEqual(['a.json', 'b.json']);
    const model = JSON.parse(yaml) as { description: string; fitted: { crossValidation: { folds: number } } };
    expect(model.description).toMatch(/\d+ gold units, 5 sites; cross-validated accuracy by site 0\.\d{3} \(rules without the model: 0\.\d{3}\)\.$/);
    expect(model.fitted.crossValidation.folds).toBe(3);
    // The written model is a valid rules file: the analyzer runs with it.
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-fit-rules-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    cpSync(join(out, 'a.json'), join(rules, 'function-model.json'));
    const e = run(['eval', '--gold', fx.dir, '--part', 'tuning', '--rules', rules, '--worst', '0']);
    expect(e.code).toBe(0);
  });

  it('--model category fits the category model the same way, and the analyzer runs with what it writes', () => {
    const out = mkdtempSync(join(tmpdir(), 'xunshi-fit-category-'));
    const a = run(['rules', 'fit', '--model', 'category', '--gold', fx.dir, '--folds', '3', '--out', join(out, 'a.json')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^refused 2 document\(s\) of .* marked part=held-out/m);
    expect(a.stdout).toMatch(/^cross-validated category micro-F1 by site \(3 folds; functions of a model fitted without the fold, accuracy [01]\.\d{3}\): model F1 [01]\.\d{3} \(P [01]\.\d{3} R [01]\.\d{3}\) at threshold -?[\d.]+ {2}hand-set thresholds F1 [01]\.\d{3}/m);
    expect(a.stdout).toMatch(/^\d+ gold categories have no rule evidence in their unit/m);
    const b = run(['rules', 'fit', '--model', 'category', '--gold', fx.dir, '--folds', '3', '--out', join(out, 'b.json')]);
    expect(readFileSync(join(out, 'b.json'), 'utf8')).toBe(readFileSync(join(out, 'a.json'), 'utf8'));
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-fit-category-rules-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    cpSync(join(out, 'a.json'), join(rules, 'category-model.json'));
    expect(run(['eval', '--gold', fx.dir, '--part', 'tuning', '--rules', rules, '--worst', '0']).code).toBe(0);
    expect(run(['rules', 'fit', '--model', 'categories', '--gold', fx.dir]).code).toBe(2);
    // A given threshold is kept (cross-validation does not choose one) and written into the model.
    const t = run(['rules', 'fit', '--model', 'category', '--gold', fx.dir, '--folds', '3', '--threshold', '-1.4', '--out', join(out, 't.json')]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^cross-validated category micro-F1 by site \(3 folds; .*\): .* at threshold -1\.4 /m);
    // --no-function-folds scores the folds under the shipped function model, fitted on those very units.
    const n = run(['rules', 'fit', '--model', 'category', '--gold', fx.dir, '--folds', '3', '--no-function-folds']);
    expect(n.code).toBe(0);
    expect(n.stdout).toMatch(/^cross-validated category micro-F1 by site \(3 folds; functions of the analyzer's fitted model, accuracy [01]\.\d{3}\)/m);
    expect(run(['rules', 'fit', '--gold', fx.dir, '--no-function-folds']).stderr).toMatch(/--no-function-folds applies to the category model only/);
    expect(JSON.parse(readFileSync(join(out, 't.json'), 'utf8')).threshold).toBe(-1.4);
    const f = run(['rules', 'fit', '--gold', fx.dir, '--threshold', '0.5']);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/--threshold applies to the category model only/);
    expect(run(['rules', 'fit', '--model', 'category', '--gold', fx.dir, '--threshold', 'x']).stderr).toMatch(/--threshold must be a number/);
  });

  it('without --out writes nothing; bad folds and missing folders are usage errors', () => {
    for (const [args, msg] of [
      [['--folds', '1'], /--folds expects a whole number of at least 2, got "1"/],
      [['--folds', '2abc'], /--folds expects a whole number of at least 2, got "2abc"/],
      [['--folds', '99999999999'], /99999999999 folds need 99999999999 sites at least, and the gold in .* has \d+: folds are made of whole sites/],
      [['--repeats', '0'], /--repeats expects a whole number of at least 1, got "0"/],
      [['--repeats', '99999999999'], /--repeats expects a whole number of at most 100/],
    ] as const) {
      const r = run(['rules', 'fit', '--gold', fx.dir, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const bad = join(fx.dir, '..', 'no-such-folder', 'm.json');
    const w = run(['rules', 'fit', '--gold', fx.dir, '--folds', '2', '--out', bad]);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/^cannot write output: .*\[XUNSHI_OUTPUT_FAILED\]$/m);
    const c = run(['rules', 'fit', '--model', 'category', '--gold', fx.dir, '--repeats', '2']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--repeats applies to the function model only/);
    const two = run(['rules', 'fit', '--gold', fx.dir, '--folds', '2', '--repeats', '2']);
    expect(two.code).toBe(0);
    expect(two.stdout).toMatch(/^cross-validated function accuracy by site \(2 folds, mean of 2 splits: 0\.\d{3} 0\.\d{3}\): model 0\.\d{3}/m);
    const m = run(['rules', 'fit', '--gold', join(fx.dir, 'nope')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/gold folder not found/);
    expect(existsSync(join(REPO_DIR, 'scripts/fit-function-model.mjs'))).toBe(false);
  });
});

/** Run a JSON-writing command twice: it must succeed and print the same bytes both times; its output, parsed. */
function jsonTwice(args: string[]): any {
  const j1 = run(args);
  const j2 = run(args);
  expect(j1.code).toBe(0);
  expect(j1.stdout).toBe(j2.stdout);
  return JSON.parse(j1.stdout);
}

describe('xunshi rules suggest', () => {
  it('lists phrases per label as text and JSON, deterministically', () => {
    const t = run(['rules', 'suggest', '--gold', fx.dir, '--part', 'tuning', '--top', '3']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^xunshi rules suggest: \d+ document\(s\), \d+ gold unit\(s\) of .* \(part tuning\)$/m);
    expect(t.stdout).toMatch(/^problem \(function\): \d+ gold unit\(s\), \d+ missed$/m);
    const r = jsonTwice(['rules', 'suggest', '--gold', fx.dir, '--label', 'conduct', '--format', 'json']);
    expect(r.heldOut).toBe(2);
    expect(r.labels.map((l: { label: string }) => l.label)).toEqual(['conduct']);
    expect(r.labels[0]).toMatchObject({ kind: 'category', goldUnits: expect.any(Number), missedUnits: expect.any(Number) });
    for (const p of r.labels[0].phrases) expect(p).toMatchObject({ phrase: expect.any(String), missed: expect.any(Number), precision: expect.any(Number), documents: expect.any(Number), sites: expect.any(Number) });
  });

  it('a bad label, a bad --top or --part held-out is a usage error (exit 2)', () => {
    for (const [args, msg] of [
      [['--label', 'conduct-x'], /--label conduct-x: not a function, category, subcategory or root-cause id/],
      [['--top', '0'], /--top expects a whole number of at least 1, got "0"/],
      [['--top', '1e2'], /--top expects a whole number of at least 1, got "1e2"/],
      [['--part', 'held-out'], /held-out texts are never read while writing rules/],
    ] as const) {
      const r = run(['rules', 'suggest', '--gold', fx.dir, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('xunshi rules audit', () => {
  it('lists every rule with its units, right units and sites as text and JSON, deterministically; held-out is never read', () => {
    const t = run(['rules', 'audit', '--gold', fx.dir, '--part', 'tuning']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^xunshi rules audit: \d+ document\(s\), \d+ gold unit\(s\) of .* \(part tuning\)$/m);
    expect(t.stdout).toMatch(/^ *\d+ +\d+ +[01]\.\d\d +\d+ +\d+  conduct\.[a-z.-]+/m);
    expect(t.stdout).toMatch(/^matched texts of category and root-cause rules seen in one site only \(\d+\)/m);
    const r = jsonTwice(['rules', 'audit', '--gold', fx.dir, '--rule', 'conduct', '--format', 'json']);
    expect(r.heldOut).toBe(2);
    expect(r.rules.length).toBeGreaterThan(0);
    for (const a of r.rules) expect(a).toMatchObject({ rule: expect.stringMatching(/^conduct\./), kind: 'category', units: expect.any(Number), correct: expect.any(Number), sites: expect.any(Number) });
  });

  it('--part held-out and a missing folder are usage errors (exit 2), before any rule is compiled', () => {
    const h = run(['rules', 'audit', '--gold', fx.dir, '--part', 'held-out']);
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/held-out texts are never read while writing rules/);
    const m = run(['rules', 'audit', '--gold', fx.dir, join(fx.dir, 'nope')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/gold folder not found/);
    const r = run(['rules', 'audit', '--gold', fx.dir, '--rule', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rule "nope": no rule has this id or lies under it/);
  });
});

describe('xunshi rules fit --out -', () => {
  it('writes the model to standard output (no file named -) and its report to standard error', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xunshi-fit-stdout-'));
    const r = spawnSync(process.execPath, [BIN, 'rules', 'fit', '--gold', fx.dir, '--out', '-'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('weights');
    expect(r.stderr).toMatch(/gold units from \d+ document\(s\)/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
