export { loadUnitTypes, parseUnitTypes, UNIT_TYPES_FILE, type UnitType, type UnitTypeList } from './unit-types.js';
export { createFactExtractor, type ExtractOptions, type FactExtractor, type FactExtractorOptions } from './extractor.js';
export {
  aggregateFacts,
  isCaseCount,
  isPersonCount,
  type AggregatablePassage,
  type FactTotals,
} from './aggregate.js';
export { CASE_MEASURES, CASE_NOUNS, PERSON_MEASURES, PERSON_NOUNS } from './nouns.js';
export { describeFact } from './describe.js';
export { normalizeForFacts } from './normalize.js';
