/**
 * JSON Schemas of every file of a rules folder, validated with ajv: rule files (assembled from the kinds' fragments),
 * `taxonomy.yaml`, `scoring.yaml`, `facts/unit-types.yaml` and the lines of `lexicon/*.txt`. `additionalProperties:
 * false` everywhere, so that unknown keys are errors.
 */
import { RULE_KINDS, getRuleKindModules } from './kinds/index.js';

export { RULE_KINDS };
export type { RuleKind } from './model.js';

const example = {
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['text'],
      properties: { text: { type: 'string', minLength: 1 }, spans: { type: 'array', items: { type: 'string', minLength: 1 } } },
    },
  ],
} as const;

/** Keys every kind accepts. */
const commonRuleKeys = {
  id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  kind: { enum: [...RULE_KINDS] },
  description: { type: 'string' },
  category: { type: 'string' },
  rootCause: { type: 'string' },
  function: { type: 'string' },
  weight: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
  measureWeight: {
    type: 'number',
    minimum: 0,
    maximum: 10,
    description: 'weight of a category or root-cause hit in a unit whose function is measure (default: weight): words that also fill rectification demands as boilerplate count less there',
  },
  boundary: { enum: ['token', 'start', 'none'] },
  noMatchWithoutTerm: { type: 'string', minLength: 10, description: 'terms/near rules: why no noMatch example can contain a term (the rule tester lists it)' },
  examples: {
    type: 'object',
    additionalProperties: false,
    required: ['match', 'noMatch'],
    properties: {
      match: { type: 'array', minItems: 1, items: example },
      noMatch: { type: 'array', minItems: 1, items: example },
    },
  },
} as const;

/** Names of the keys every kind accepts (the others belong to one kind or a few; see `kinds/`). */
export const COMMON_RULE_KEYS: readonly string[] = Object.keys(commonRuleKeys);

/**
 * The keys of every kind. A key two kinds define differently (`within`: 0–60 words for `near`, 0–30 characters for
 * `frame`) is any value here and checked by its kind's own schema in `allOf` (one merged definition overwrote the
 * other: a `near` rule's `within: 45`, which the rule language allows, was refused as "must be <= 30").
 */
function kindKeySchemas(): { properties: Record<string, object>; allOf: object[] } {
  const modules = getRuleKindModules();
  const defined = new Map<string, string>();
  const differing = new Set<string>();
  for (const m of modules) {
    for (const [key, schema] of Object.entries(m.keys)) {
      const text = JSON.stringify(schema);
      if (defined.has(key) && defined.get(key) !== text) differing.add(key);
      else defined.set(key, text);
    }
  }
  const properties: Record<string, object> = Object.assign({}, ...modules.map((m) => m.keys));
  for (const key of differing) properties[key] = {};
  const allOf = modules
    .filter((m) => Object.keys(m.keys).some((k) => differing.has(k)))
    .map((m) => ({
      if: { required: ['kind'], properties: { kind: { const: m.kind } } },
      then: { properties: Object.fromEntries(Object.entries(m.keys).filter(([k]) => differing.has(k))) },
    }));
  return { properties, allOf };
}
const kindKeys = kindKeySchemas();

/** One rule: the common keys plus the keys of every kind (which kind accepts which is checked when compiling). */
export const ruleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'examples'],
  properties: { ...kindKeys.properties, ...commonRuleKeys } as Record<string, object>,
  ...(kindKeys.allOf.length ? { allOf: kindKeys.allOf } : {}),
};

/** `lists/*.yaml`: named term lists (concept and judgement families) that rules use as `@name` in any term list. */
export const listFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['lists'],
  properties: {
    description: { type: 'string' },
    lists: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' },
      additionalProperties: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, pattern: '^[^@]' } },
    },
  },
} as const;

export const ruleFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    description: { type: 'string' },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        category: { type: 'string' },
        rootCause: { type: 'string' },
        function: { type: 'string' },
        weight: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
        boundary: { enum: ['token', 'start', 'none'] },
        columnHeader: { type: 'boolean' },
      },
    },
    rules: { type: 'array', minItems: 1, items: ruleSchema },
  },
} as const;

const label = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'zh', 'en'],
  properties: { id: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' }, description: { type: 'string' } },
} as const;

export const taxonomySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['functions', 'categories', 'rootCauses'],
  properties: {
    functions: { type: 'array', items: label },
    rootCauses: { type: 'array', items: label },
    categories: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'zh', 'en', 'subcategories'],
        properties: { ...label.properties, subcategories: { type: 'array', minItems: 1, items: label } },
      },
    },
  },
} as const;

const threshold = { type: 'number', minimum: 0 } as const;
const contextKeeps = { type: 'number', minimum: 0, description: 'a context unit keeps a label only at this raw score' } as const;
export const scoringSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['category', 'rootCause', 'function', 'heading', 'document', 'topic', 'perRuleCap'],
  properties: {
    category: {
      type: 'object',
      additionalProperties: false,
      required: ['threshold', 'contextKeeps', 'secondSubcategory'],
      properties: {
        threshold,
        contextKeeps,
        secondSubcategory: {
          type: 'object',
          additionalProperties: false,
          required: ['ofTop', 'ofThreshold'],
          properties: { ofTop: { type: 'number', minimum: 0, maximum: 1 }, ofThreshold: { type: 'number', minimum: 0 } },
        },
      },
    },
    rootCause: {
      type: 'object',
      additionalProperties: false,
      required: ['threshold', 'contextKeeps'],
      properties: { threshold, contextKeeps },
    },
    function: {
      type: 'object',
      additionalProperties: false,
      required: ['threshold'],
      properties: { threshold },
    },
    heading: {
      type: 'object',
      additionalProperties: false,
      required: ['functionPrior', 'subheadingPrior', 'categoryPrior', 'decay', 'enumeratedTitleMax'],
      properties: {
        functionPrior: { type: 'number', minimum: 0 },
        subheadingPrior: { type: 'number', minimum: 0 },
        categoryPrior: { type: 'number', minimum: 0 },
        decay: { type: 'number', minimum: 0, maximum: 1 },
        enumeratedTitleMax: { type: 'integer', minimum: 0, description: 'an enumerated unit this short takes the sub-heading prior' },
      },
    },
    document: {
      type: 'object',
      additionalProperties: false,
      required: ['leadUnits', 'functionPrior'],
      properties: { leadUnits: { type: 'integer', minimum: 1 }, functionPrior: { type: 'number', minimum: 0 } },
    },
    topic: {
      type: 'object',
      additionalProperties: false,
      required: ['functions', 'fromParagraph', 'fromHeading', 'fromTitle', 'titleMax', 'rootCauses', 'scoreShare'],
      properties: {
        functions: { type: 'array', items: { enum: ['problem', 'cause', 'measure', 'context'] } },
        headingFunctions: { type: 'array', items: { enum: ['problem', 'cause', 'measure', 'context'] } },
        fromParagraph: { type: 'boolean' },
        fromRow: { type: 'boolean' },
        fromHeading: { type: 'boolean' },
        fromTitle: { type: 'boolean' },
        titleMax: { type: 'integer', minimum: 1 },
        rootCauses: { type: 'boolean' },
        scoreShare: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    perRuleCap: {
      type: 'object',
      additionalProperties: false,
      required: ['function', 'category', 'rootCause'],
      properties: { function: { type: 'integer', minimum: 1 }, category: { type: 'integer', minimum: 1 }, rootCause: { type: 'integer', minimum: 1 } },
    },
  },
} as const;

/** A list of distinct, trimmed, non-empty strings. */
const stringList = (minItems: number) =>
  ({ type: 'array', minItems, uniqueItems: true, items: { type: 'string', minLength: 1, pattern: '^\\S(.*\\S)?$' } }) as const;

/** `facts/unit-types.yaml`. Ids and terms across types are checked for duplicates when compiling. */
export const unitTypesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'determiners', 'types'],
  properties: {
    version: { const: 1 },
    determiners: stringList(1),
    notWithin: stringList(0),
    types: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'terms'],
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' },
          label: {
            type: 'object',
            additionalProperties: false,
            required: ['zh', 'en'],
            properties: { zh: { type: 'string', minLength: 1, pattern: '\\S' }, en: { type: 'string', minLength: 1, pattern: '\\S' } },
          },
          description: { type: 'string' },
          terms: stringList(1),
          boundTerms: stringList(0),
        },
      },
    },
  },
} as const;

/** One line of `lexicon/*.txt`, split on white space: `word freq tag` or a lone `word` (`word freq` is refused in compile.ts). */
export const lexiconLineSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 3,
  items: [{ type: 'string', minLength: 1 }, { type: 'string', pattern: '^\\d+$' }, { type: 'string', minLength: 1 }],
} as const;

const functionWeight = { type: 'number', minimum: -100, maximum: 100 } as const;
/** `category-model.json`: fitted weights of the category model (written by `xunshi rules fit --model category`). */
export const categoryModelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['threshold', 'weights'],
  properties: {
    description: { type: 'string' },
    fitted: { type: 'object', description: 'how the weights were fitted (data, options, cross-validation); not read by the engine' },
    threshold: { type: 'number', minimum: -100, maximum: 100, description: 'a candidate category is kept when its score exceeds this' },
    weights: { type: 'object', required: ['bias'], additionalProperties: functionWeight },
  },
} as const;

/** `function-model.json`: fitted weights of the function model (written by `xunshi rules fit`). */
export const functionModelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['weights'],
  properties: {
    description: { type: 'string' },
    fitted: { type: 'object', description: 'how the weights were fitted (data, options, cross-validation); not read by the engine' },
    weights: {
      type: 'object',
      required: ['bias'],
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { problem: functionWeight, cause: functionWeight, measure: functionWeight, context: functionWeight },
      },
    },
  },
} as const;
