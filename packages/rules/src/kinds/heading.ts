import { termList, type RuleKindModule } from './kind.js';

/** `heading`: a term in a heading; the engine uses its hits as priors for the units under that heading. */
export const headingKind: RuleKindModule = {
  kind: 'heading',
  keys: { terms: termList },
  required: ['terms'],
  labelled: true,
  bucket: 'heading',
};
