import type { RuleKind } from '../model.js';
import type { RuleKindModule } from './kind.js';
import { termsKind } from './terms.js';
import { nearKind } from './near.js';
import { frameKind } from './frame.js';
import { patternKind } from './pattern.js';
import { headingKind } from './heading.js';
import { documentKind } from './document.js';
import { excludeKind } from './exclude.js';
import { negationKind } from './negation.js';

export * from './kind.js';
export { collectDocumentPatternHits, type BoundaryTest } from './shared.js';

/**
 * The registry of rule kinds, in the order the matcher runs them: hits are collected kind by kind in this order, then
 * the exclusion kinds drop label hits in this order (`exclude` before `negation`), then `refine` passes run. A new kind
 * is one module plus one line here (and its name in the `RuleKind` union of `model.ts`).
 */
export const RULE_KIND_MODULES: Readonly<Record<RuleKind, RuleKindModule>> = {
  terms: termsKind,
  near: nearKind,
  frame: frameKind,
  pattern: patternKind,
  heading: headingKind,
  document: documentKind,
  exclude: excludeKind,
  negation: negationKind,
};

/** Kinds of rule; the set is closed. */
export const RULE_KINDS = Object.keys(RULE_KIND_MODULES) as readonly RuleKind[];

/** The kind modules in registry order. */
export function getRuleKindModules(): RuleKindModule[] {
  return Object.values(RULE_KIND_MODULES);
}
