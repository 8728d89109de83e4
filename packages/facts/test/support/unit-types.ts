import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import type { UnitTypeList } from '@xunshi/types';

/** The shipped unit-type list, as `@xunshi/rules` reads and checks it (this package receives it as a value). */
export const SHIPPED_UNIT_TYPES: UnitTypeList = loadRuleSet({ dirs: [getDefaultRulesDir()] }).unitTypes;
