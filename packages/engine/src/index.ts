export * from './match.js';
export * from './tag.js';
export * from './examples.js';
export { matchDocument, type MatchedDocument, type HeadingCues } from './phases/match-document.js';
export { resolveAncestors, type Ancestor } from './phases/outline.js';
export { collectUnitEvidence, type UnitEvidence } from './phases/unit-evidence.js';
export { decideFunction, type FunctionDecision } from './phases/function.js';
export { decideCategories, decideRootCauses } from './phases/labels.js';
export { Tally, squash, toEvidence } from './phases/tally.js';
