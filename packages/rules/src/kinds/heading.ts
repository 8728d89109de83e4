import { termList, type RuleKindModule } from './kind.js';

/**
 * `heading`: a term in a heading; the engine uses its hits as priors for the units under that heading. With
 * `columnHeader: true` the terms count only in the header row of a table, as the header of the cells below it.
 */
export const headingKind: RuleKindModule = {
  kind: 'heading',
  keys: {
    terms: termList,
    columnHeader: {
      type: 'boolean',
      description: "heading rules: the terms count only in a table's header row (问题 over a ledger's problems), where a cell of a word or two names its column",
    },
  },
  required: ['terms'],
  labelled: true,
  bucket: 'heading',
};
