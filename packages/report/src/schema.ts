/** JSON Schema (draft-07) of a Report, schemaVersion 1: the output contract of `xunshi analyze --format json`. */
const range = { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } } as const;
const evidence = {
  type: 'object',
  additionalProperties: false,
  required: ['rule', 'start', 'end', 'text'],
  properties: { rule: { type: 'string' }, ...range, text: { type: 'string' } },
} as const;
const functionId = { enum: ['problem', 'cause', 'measure', 'context'] } as const;
const categoryId = { enum: ['political', 'organizational', 'conduct', 'discipline'] } as const;
const rootCauseId = { enum: ['ideology', 'responsibility', 'institution', 'ecology'] } as const;
const counts = (ids: readonly string[]) =>
  ({ type: 'object', additionalProperties: false, required: [...ids], properties: Object.fromEntries(ids.map((i) => [i, { type: 'integer', minimum: 0 }])) }) as const;
const factTotals = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'people', 'cases'],
  properties: { amount: { type: 'number' }, people: { type: 'number' }, cases: { type: 'number' } },
} as const;
const fact = {
  type: 'object',
  required: ['kind', 'text', 'start', 'end'],
  properties: {
    kind: { enum: ['amount', 'count', 'ratio', 'period', 'unitType', 'catchphrase'] },
    text: { type: 'string' },
    ...range,
    value: { type: 'number' },
    min: { type: 'number' },
    max: { type: 'number' },
    approx: { type: 'boolean' },
    unit: { const: 'CNY' },
    measure: { type: 'string' },
    counted: { type: 'string' },
    comparator: { enum: ['lt', 'le', 'eq', 'ge', 'gt'] },
    change: { enum: ['up', 'down'] },
    from: { type: 'string' },
    to: { type: 'string' },
    duration: {
      type: 'object',
      additionalProperties: false,
      required: ['value', 'unit'],
      properties: { value: { type: 'number' }, unit: { enum: ['year', 'month', 'day', 'workday'] } },
    },
    type: { type: 'string' },
    phrase: { type: 'string' },
  },
} as const;

export const REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://xunshi.invalid/schema/report-1.json',
  title: 'xunshi Report (schemaVersion 1)',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'tool', 'source', 'passages', 'summary', 'diagnostics'],
  properties: {
    schemaVersion: { const: 1 },
    tool: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version', 'rulesetHash'],
      properties: { name: { const: 'xunshi' }, version: { type: 'string' }, rulesetHash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } },
    },
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['path', 'format', 'encoding', 'script', 'sha256', 'length'],
      properties: {
        path: { type: ['string', 'null'] },
        format: { enum: ['text', 'markdown', 'html', 'mhtml', 'docx', 'doc', 'rtf', 'xlsx', 'xls', 'csv', 'pdf', 'ofd', 'odt', 'image'] },
        encoding: { enum: ['utf-8', 'gb18030', 'big5'] },
        script: { enum: ['simplified', 'traditional'] },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        length: { type: 'integer', minimum: 0 },
        text: {
          type: 'string',
          description:
            'The extracted text (html, mhtml, docx, doc, rtf, xlsx, xls, csv, pdf, ofd, odt and image input only): every [start, end) of the report indexes it, so text.slice(start, end) is the passage. Absent for text and Markdown, whose offsets index the decoded file.',
        },
        pages: { type: 'integer', minimum: 0, description: 'Number of pages (pdf, ofd and image input only; an image is one page).' },
        pageFiles: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: "A report read from a folder's image files, one a page (--join-images; path is the folder, ending in /): the file each page was read from, relative to path, page 1 first (a multi-page TIFF's name repeats for its pages).",
        },
      },
    },
    passages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'start', 'end', 'text', 'headingPath', 'function', 'functionScores', 'functionEvidence', 'categories', 'rootCauses', 'facts'],
        properties: {
          id: { type: 'string', pattern: '^u\\d+$' },
          ...range,
          text: { type: 'string', minLength: 1 },
          headingPath: { type: 'array', items: { type: 'string' } },
          function: functionId,
          functionScores: { type: 'object', additionalProperties: false, required: ['problem', 'cause', 'measure', 'context'], properties: { problem: { type: 'number' }, cause: { type: 'number' }, measure: { type: 'number' }, context: { type: 'number' } } },
          functionEvidence: { type: 'array', items: evidence },
          categories: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'subcategory', 'score', 'evidence'],
              properties: { id: categoryId, subcategory: { type: ['string', 'null'] }, score: { type: 'number', minimum: 0, maximum: 1 }, evidence: { type: 'array', minItems: 1, items: evidence } },
            },
          },
          rootCauses: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'score', 'evidence'],
              properties: { id: rootCauseId, score: { type: 'number', minimum: 0, maximum: 1 }, evidence: { type: 'array', minItems: 1, items: evidence } },
            },
          },
          facts: { type: 'array', items: fact },
          page: { type: 'integer', minimum: 1, description: 'Page the passage starts on (pdf input only).' },
          cell: {
            type: 'object',
            additionalProperties: false,
            required: ['table', 'row', 'column'],
            description: 'The table cell the passage is in (a passage of a table row).',
            properties: {
              table: { type: 'integer', minimum: 0, description: '0-based index of the table in the document.' },
              row: { type: 'integer', minimum: 0, description: "0-based row of the table, its header rows included." },
              column: { type: 'integer', minimum: 0, description: '0-based column where the cell starts.' },
              isHeader: { const: true, description: "Set for a cell of the table's header row, or of a second header row of sub-headers under a header cell that groups columns." },
              header: { type: 'string', minLength: 1, description: "The header row's text above the cell's column (under a second header row, the sub-header's where one holds the column)." },
            },
          },
        },
      },
    },
    summary: {
      type: 'object',
      additionalProperties: false,
      required: ['passages', 'functions', 'categories', 'subcategories', 'rootCauses', 'keywords', 'facts'],
      properties: {
        passages: { type: 'integer', minimum: 0 },
        functions: counts(['problem', 'cause', 'measure', 'context']),
        categories: counts(['political', 'organizational', 'conduct', 'discipline']),
        subcategories: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
        rootCauses: counts(['ideology', 'responsibility', 'institution', 'ecology']),
        keywords: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, required: ['text', 'count'], properties: { text: { type: 'string' }, count: { type: 'integer', minimum: 1 } } },
        },
        facts: {
          type: 'object',
          additionalProperties: false,
          required: ['political', 'organizational', 'conduct', 'discipline', 'none'],
          properties: { political: factTotals, organizational: factTotals, conduct: factTotals, discipline: factTotals, none: factTotals },
        },
      },
    },
    diagnostics: {
      type: 'array',
      items: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, ...range } },
    },
  },
} as const;
