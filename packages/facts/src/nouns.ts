/** Measure words that count people. */
export const PERSON_MEASURES: readonly string[] = ['名', '人', '位'];
/** Nouns (as the end of a counted noun) that name people: 处级干部, 党员, 工作人员. */
export const PERSON_NOUNS: readonly string[] = [
  '干部', '党员', '人员', '职工', '员工', '群众', '同志', '领导', '学生', '教师', '村民', '居民', '成员', '书记', '主任',
  '局长', '校长', '医生', '代表', '官员', '人',
];
/** Measure words that always count cases. */
export const CASE_MEASURES: readonly string[] = ['起', '宗'];
/** Nouns (as the end of a counted noun) that name cases: 违纪问题, 问题线索, 案件. */
export const CASE_NOUNS: readonly string[] = ['问题', '案件', '案', '线索', '问题线索'];
