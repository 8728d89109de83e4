export type { UnitType, UnitTypeList } from '@xunshi/types';
export { createFactExtractor, type ExtractOptions, type FactExtractor, type FactExtractorOptions } from './extractor.js';
export { isCaseCount, isPersonCount } from './count-kinds.js';
export { CASE_MEASURES, CASE_NOUNS, PERSON_MEASURES, PERSON_NOUNS } from './nouns.js';
export { normalizeForFacts } from './normalize.js';
