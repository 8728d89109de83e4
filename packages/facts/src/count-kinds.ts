import type { CountFact } from '@xunshi/types';
import { CASE_MEASURES, CASE_NOUNS, PERSON_MEASURES, PERSON_NOUNS } from './nouns.js';

/** True when a count counts people: a person measure (名, 人, 位) or a person noun (干部, 党员, 人员 …). */
export function isPersonCount(f: CountFact): boolean {
  if (PERSON_MEASURES.includes(f.measure)) return true;
  return f.counted !== undefined && PERSON_NOUNS.some((n) => f.counted!.endsWith(n));
}

/** True when a count counts cases: 起/宗, 件 (unless it counts something else), or any measure with 问题/案件/线索. */
export function isCaseCount(f: CountFact): boolean {
  if (CASE_MEASURES.includes(f.measure)) return true;
  const caseNoun = f.counted !== undefined && CASE_NOUNS.some((n) => f.counted!.endsWith(n));
  if (f.measure === '件') return f.counted === undefined || caseNoun;
  return caseNoun;
}
