import { termList, type RuleKindModule } from './kind.js';

/**
 * `document`: a term in the document's lead gives a weak prior to the whole document; with `absent: true` the rule
 * fires when none of its terms occurs anywhere in the document.
 */
export const documentKind: RuleKindModule = {
  kind: 'document',
  keys: {
    terms: termList,
    absent: { type: 'boolean', description: 'document rules: fire when none of the terms occurs anywhere in the document' },
  },
  required: ['terms'],
  labelled: true,
  bucket: 'document',
};
