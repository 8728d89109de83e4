import { lastAtOrBefore, type CategoryId, type CategoryLabel, type Evidence, type FunctionId, type Passage, type RootCauseLabel, type Unit } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import type { Ancestor } from './outline.js';
import { round, squash, toEvidence } from './tally.js';
import type { UnitEvidence } from './unit-evidence.js';

/** The one area a unit's own words name (at the category threshold), with its labels, or undefined. */
interface Topic {
  category: CategoryLabel;
  rootCauses: RootCauseLabel[];
}

function topicOf(ruleset: RuleSet, source: string, ev: UnitEvidence): Topic | undefined {
  const { rules, scoring } = ruleset;
  const named = [...ev.categoryTotals.entries()].filter(([, v]) => v >= scoring.category.threshold);
  if (named.length !== 1) return undefined;
  const [id, total] = named[0]!;
  const keys = [...ev.cat.keys()].filter((k) => k === id || k.startsWith(id + '.'));
  const sub = keys.filter((k) => k !== id).sort((a, b) => ev.cat.get(b)!.score - ev.cat.get(a)!.score || (a < b ? -1 : 1))[0] ?? null;
  const cite = (evidence: Evidence[]): Evidence[] => evidence.map((e) => ({ ...e, rule: `topic:${e.rule}` }));
  const category: CategoryLabel = { id: id as CategoryId, subcategory: sub, score: round(squash(total) * scoring.topic.scoreShare), evidence: cite(toEvidence(source, rules, keys.flatMap((k) => ev.cat.get(k)!.hits))) };
  const rootCauses: RootCauseLabel[] = [...ev.rc.entries()]
    .filter(([, t]) => t.score >= scoring.rootCause.threshold)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([rc, t]) => ({ id: rc, score: round(squash(t.score) * scoring.topic.scoreShare), evidence: cite(toEvidence(source, rules, t.hits)) }));
  return { category, rootCauses };
}

/** A unit that can name a topic as a title does (a document's first unit, a cell heading its row): short, not ended like a sentence. */
function isTitle(unit: Unit, max: number): boolean {
  return unit.text.length <= max && !/[。；;！!？?]$/.test(unit.text);
}

/**
 * The cell that heads each unit's table row: for a unit of a cell below a table's header row, the nearest cell to its
 * left that is one short line (at most `max` characters, not ended like a sentence: 作风建设方面, 选人用人问题) and
 * `names` an area, as a ledger's 问题类别 column heads the problem in its row. Where the row has no cell in a column to
 * the left, the last cell above in that column stands for it: a cell merged down a run of rows, or written in the run's
 * first row only, heads every row of the run. Undefined outside tables and where no such cell is found. The columns
 * whose cell names an area are kept sorted and found by binary search (`work.steps` counts its steps), so a wide table
 * costs a logarithm per cell.
 */
export function rowHeadings(units: readonly Unit[], max: number, names: (unit: number) => boolean, work?: { steps: number }): (number | undefined)[] {
  // Filled only where a unit has a row heading (a document without tables allocates nothing per unit).
  const out: (number | undefined)[] = [];
  let table = -1;
  // Of the table being read: the columns whose last cell names an area (ascending) and that cell's unit by column.
  let naming: number[] = [];
  let unitOf = new Map<number, number>();
  let last: { table: number; row: number; column: number } | undefined;
  let first = -1;
  const remove = (column: number): void => {
    const k = lastAtOrBefore(naming, column, work);
    if (k >= 0 && naming[k] === column) naming.splice(k, 1);
  };
  units.forEach((unit, ui) => {
    const cell = unit.cell;
    if (!cell) {
      last = undefined;
      return;
    }
    if (cell.table !== table) {
      table = cell.table;
      naming = [];
      unitOf = new Map();
    }
    if (last && last.table === cell.table && last.row === cell.row && last.column === cell.column) {
      // A second unit of the cell: a cell of sentences heads no row.
      if (unitOf.get(cell.column) === first) remove(cell.column);
    } else {
      first = ui;
      remove(cell.column);
      if (!cell.isHeader && isTitle(unit, max) && names(ui)) {
        naming.splice(lastAtOrBefore(naming, cell.column, work) + 1, 0, cell.column);
        unitOf.set(cell.column, ui);
      }
    }
    last = cell;
    if (cell.isHeader) return;
    const k = lastAtOrBefore(naming, cell.column - 1, work);
    if (k >= 0) out[ui] = unitOf.get(naming[k]!);
  });
  out.length = units.length;
  return out;
}

/**
 * Topic phase (taxonomy.md, "Topic continuity"): a problem or cause unit with no category of its own that goes on with
 * the topic of its paragraph's opening sentence, of the cell that heads its table row ({@link rowHeadings}), of its
 * section heading or of the document's title — when that names
 * exactly one area in its own words — takes the area's category; a body unit of `topic.headingFunctions` (none in the
 * shipped rules) takes it from its section heading only (and, with `topic.rootCauses` and none of its own,
 * the topic's root causes), scored at `topic.scoreShare` of the source's evidence and citing that evidence as `topic:RULE`. Sources are
 * read from the units' own evidence, so a topic never comes from a unit that itself inherited it.
 */
export function applyTopicContinuity(ruleset: RuleSet, source: string, units: readonly Unit[], evidence: readonly UnitEvidence[], passages: Passage[], ancestors: readonly Ancestor[][], skip: ReadonlySet<number> = new Set()): void {
  const { topic } = ruleset.scoring;
  const functions = new Set<FunctionId>(topic.functions);
  const headingFunctions = new Set<FunctionId>(topic.headingFunctions ?? []);
  const topics = new Map<number, Topic | undefined>();
  const topicAt = (i: number): Topic | undefined => {
    if (!topics.has(i)) topics.set(i, topicOf(ruleset, source, evidence[i]!));
    return topics.get(i);
  };
  const rows = topic.fromRow ? rowHeadings(units, topic.titleMax, (i) => topicAt(i) !== undefined) : undefined;
  passages.forEach((p, ui) => {
    if (p.categories.length > 0 || skip.has(ui)) return;
    // A table column's header (问题, 整改措施) names no topic of its own: the section's heading is the nearest.
    const nearest = ancestors[ui]!.find((a) => !a.column);
    if (!functions.has(p.function)) {
      // A measure under a section heading that names one area (（一）关于主体责任落实不到位的问题) remedies that area. Only
      // the nearest heading counts, for body units: a paragraph opener or a report's title names areas that measures
      // organising the work do not remedy (measured on the real tuning texts and dev).
      if (!headingFunctions.has(p.function) || units[ui]!.isHeading || !topic.fromHeading || !nearest || nearest.depth !== 0) return;
      const found = topicAt(nearest.unit);
      if (found) p.categories = [found.category];
      return;
    }
    let found: Topic | undefined;
    if (topic.fromParagraph) {
      // The opening sentence of the unit's paragraph (一是热衷搞小圈子，…), when it is not the unit itself.
      let first = ui;
      while (first > 0 && units[first - 1]!.block === units[ui]!.block) first--;
      if (first !== ui && !units[first]!.isHeading) found = topicAt(first);
    }
    if (!found && rows && rows[ui] !== undefined) found = topicAt(rows[ui]!);
    if (!found && topic.fromHeading && nearest && nearest.depth === 0) found = topicAt(nearest.unit);
    if (!found && topic.fromTitle && ui > 0 && isTitle(units[0]!, topic.titleMax)) found = topicAt(0);
    if (!found) return;
    p.categories = [found.category];
    if (topic.rootCauses && p.rootCauses.length === 0) p.rootCauses = found.rootCauses;
  });
}
