import { sep } from 'node:path';
import type { Evidence, Passage } from '@xunshi/types';
import { createMatchingCopy } from '@xunshi/tokenizer';
import type { EvalAnalyzer } from './analyzer.js';
import { readGoldDocument } from './eval.js';
import { firstTime } from './fit.js';
import type { GoldUnit } from './score.js';
import { checkSuggestOptions } from './suggest.js';

/** Options of {@link auditRules}. */
export interface AuditOptions {
  /** Only this part of each folder's `index.tsv`; `held-out` is refused (its texts are never read for rule writing). */
  part?: string;
  /** Only rules whose id is this or starts with it followed by a dot (`conduct`, `conduct.formalism`, a rule id). */
  rule?: string;
  /** A rule is flagged as imprecise when it stands behind at least this many units at precision below 0.5. Default 3. */
  minUnits?: number;
}

/** What one matched text of a rule (a term, or the text a pattern or frame matched) did on the gold. */
export interface TermAudit {
  /** The evidence text as the matching copy spells it (simplified, half-width). */
  text: string;
  /** Gold units where the rule gave this text as evidence for a label the analyzer output. */
  units: number;
  /** Of those, units whose gold has the label. */
  correct: number;
  documents: number;
  sites: number;
}

/** What one rule did on the gold: the units where its evidence stands behind an output label. */
export interface RuleAudit {
  rule: string;
  /** Which kind of label its evidence supported. */
  kind: 'function' | 'category' | 'rootCause';
  units: number;
  correct: number;
  /** correct / units. */
  precision: number;
  documents: number;
  sites: number;
  /** `one-site`: every unit lies in one site; `imprecise`: at least `minUnits` units at precision below 0.5. */
  flags: ('one-site' | 'imprecise')[];
  /** Its matched texts, most units first (ties by text). */
  terms: TermAudit[];
}

/** Result of {@link auditRules}. */
export interface AuditResult {
  folders: string[];
  part?: string;
  documents: number;
  units: number;
  /** Documents left out because their index says part=held-out. */
  heldOut: number;
  /** Rules with evidence on the gold, by kind (function, category, root cause), then id. */
  rules: RuleAudit[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const KIND_ORDER: Record<RuleAudit['kind'], number> = { function: 0, category: 1, rootCause: 2 };

interface Tally {
  units: Set<string>;
  correct: Set<string>;
  docs: Set<string>;
  sites: Set<string>;
}
const tally = (): Tally => ({ units: new Set(), correct: new Set(), docs: new Set(), sites: new Set() });

/**
 * How each rule fares on gold, for the review that looks for rules written for one sentence of one text: for every
 * gold unit, the evidence of the labels the analyzer output on the passages covering it (only evidence inside the
 * unit, and only evidence of a rule: the models' and topic continuity's derived entries, `NAME:…`, are left out), and
 * whether the unit's gold has that label (the same category or root cause; for function evidence, the same function).
 * Per rule and per matched text: units, correct units, documents, sites. A rule whose units all lie in one site is
 * flagged `one-site` — a candidate for a rule written for one text, to be read, not removed blindly (a standard term can
 * be rare in a corpus); a rule with at least `minUnits` units at precision below 0.5 is flagged `imprecise`. Documents
 * whose index says part=held-out are never read. Deterministic.
 */
export function auditRules(analyzer: EvalAnalyzer, dirs: readonly string[], options: AuditOptions = {}): AuditResult {
  const minUnits = options.minUnits ?? 3;
  const byRule = new Map<string, { kind: RuleAudit['kind']; all: Tally; terms: Map<string, Tally> }>();
  const wanted = (rule: string): boolean => options.rule === undefined || rule === options.rule || rule.startsWith(options.rule + '.');
  let documents = 0;
  let units = 0;
  let heldOut = 0;
  // A document of two folders given (the same folder spelt twice, one inside the other) is counted once.
  const seen = new Set<string>();
  for (const dir of dirs) {
    const { all, docs: found } = checkSuggestOptions(dir, options.part !== undefined ? { part: options.part } : {});
    heldOut += all.length - found.length;
    const docs = found.filter((d) => firstTime(seen, d.textPath));
    documents += docs.length;
    for (const d of docs) {
      const { gold, report } = readGoldDocument(analyzer, d);
      const doc = `${dir}/${d.name.split(sep).join('/')}`;
      const site = d.site ?? doc;
      for (const u of gold.units as GoldUnit[]) {
        units++;
        const key = `${doc}#${u.i}`;
        const goldCats = new Set(u.categories.map((c) => c.id));
        const goldRcs = new Set(u.rootCauses);
        const note = (kind: RuleAudit['kind'], e: Evidence, right: boolean): void => {
          if (e.rule.includes(':') || e.start < u.start || e.end > u.end || !wanted(e.rule)) return;
          let r = byRule.get(e.rule);
          if (!r) byRule.set(e.rule, (r = { kind, all: tally(), terms: new Map() }));
          const text = createMatchingCopy(e.text).normalized.replace(/\p{Cf}/gu, '');
          let t = r.terms.get(text);
          if (!t) r.terms.set(text, (t = tally()));
          for (const x of [r.all, t]) {
            x.units.add(key);
            if (right) x.correct.add(key);
            x.docs.add(doc);
            x.sites.add(site);
          }
        };
        for (const p of passagesIn(report.passages, u.start, u.end)) {
          for (const e of p.functionEvidence) note('function', e, p.function === u.function);
          for (const c of p.categories) for (const e of c.evidence) note('category', e, goldCats.has(c.id));
          for (const r of p.rootCauses) for (const e of r.evidence) note('rootCause', e, goldRcs.has(r.id));
        }
      }
    }
  }
  const rules: RuleAudit[] = [...byRule.entries()].map(([rule, { kind, all, terms }]) => {
    const flags: RuleAudit['flags'] = [];
    if (all.sites.size === 1) flags.push('one-site');
    if (all.units.size >= minUnits && all.correct.size / all.units.size < 0.5) flags.push('imprecise');
    return {
      rule,
      kind,
      units: all.units.size,
      correct: all.correct.size,
      precision: all.correct.size / all.units.size,
      documents: all.docs.size,
      sites: all.sites.size,
      flags,
      terms: [...terms.entries()]
        .map(([text, t]) => ({ text, units: t.units.size, correct: t.correct.size, documents: t.docs.size, sites: t.sites.size }))
        .sort((a, b) => b.units - a.units || cmp(a.text, b.text)),
    };
  });
  rules.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.rule, b.rule));
  return { folders: [...dirs], ...(options.part !== undefined ? { part: options.part } : {}), documents, units, heldOut, rules };
}

/** The passages overlapping `[start, end)`. */
function passagesIn(passages: readonly Passage[], start: number, end: number): Passage[] {
  return passages.filter((p) => p.end > start && p.start < end);
}

const f2 = (x: number): string => x.toFixed(2);

/**
 * A readable audit: one line per rule (units, correct, precision, documents, sites, flags), then the matched texts
 * seen in one site only, rule by rule — the list the before-stop review reads for rules written for one text.
 */
export function formatAuditText(r: AuditResult): string {
  const lines: string[] = [];
  lines.push(`xunshi rules audit: ${r.documents} document(s), ${r.units} gold unit(s) of ${r.folders.join(', ')}${r.part !== undefined ? ` (part ${r.part})` : ''}`);
  if (r.heldOut) lines.push(`left out ${r.heldOut} document(s) marked part=held-out: held-out texts are never read while writing rules`);
  lines.push('units where a rule\'s evidence stands behind a label the analyzer gave; right = units whose gold has that label');
  lines.push('');
  lines.push(`${'units'.padStart(5)} ${'right'.padStart(5)} ${'prec'.padStart(5)} ${'docs'.padStart(4)} ${'sites'.padStart(5)}  rule`);
  for (const a of r.rules) {
    lines.push(`${String(a.units).padStart(5)} ${String(a.correct).padStart(5)} ${f2(a.precision).padStart(5)} ${String(a.documents).padStart(4)} ${String(a.sites).padStart(5)}  ${a.rule}${a.flags.length ? `  [${a.flags.join(', ')}]` : ''}`);
  }
  const single = r.rules.filter((a) => a.kind !== 'function').map((a) => ({ a, terms: a.terms.filter((t) => t.sites === 1) })).filter((x) => x.terms.length);
  lines.push('');
  lines.push(`matched texts of category and root-cause rules seen in one site only (${single.reduce((n, x) => n + x.terms.length, 0)}): text (units, right)`);
  for (const { a, terms } of single) lines.push(`  ${a.rule}: ${terms.map((t) => `${t.text} (${t.units}, ${t.correct})`).join(' · ')}`);
  return lines.join('\n') + '\n';
}
