/** JSON Schemas of the rule files; `additionalProperties: false` everywhere so that unknown keys are errors. */

const termList = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } } as const;
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

/** Kinds of rule; the set is closed. */
export const RULE_KINDS = ['terms', 'pattern', 'near', 'heading', 'document', 'negation', 'exclude'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const ruleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'examples'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    kind: { enum: [...RULE_KINDS] },
    description: { type: 'string' },
    category: { type: 'string' },
    rootCause: { type: 'string' },
    function: { type: 'string' },
    weight: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
    boundary: { enum: ['token', 'start', 'none'] },
    terms: termList,
    pattern: { type: 'string', minLength: 1 },
    first: termList,
    then: termList,
    within: { type: 'integer', minimum: 0, maximum: 60 },
    ordered: { type: 'boolean' },
    absent: { type: 'boolean', description: 'document rules: fire when none of the terms occurs anywhere in the document' },
    window: { type: 'integer', minimum: 0, maximum: 30 },
    scope: { type: 'array', minItems: 1, items: { enum: ['function', 'category', 'rootCause'] } },
    targets: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
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
      required: ['functions', 'fromParagraph', 'fromHeading', 'scoreShare'],
      properties: {
        functions: { type: 'array', items: { enum: ['problem', 'cause', 'measure', 'context'] } },
        fromParagraph: { type: 'boolean' },
        fromHeading: { type: 'boolean' },
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

const functionWeight = { type: 'number', minimum: -100, maximum: 100 } as const;
/** `function-model.yaml`: fitted weights of the function model (written by `xunshi rules fit`). */
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
