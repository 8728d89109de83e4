import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the pack scripts, without declarations
import { checkBundleDependencies, packageOf } from '../scripts/bundle-deps.mjs';

// The packed xunshi bundles @xunshi/* and leaves npm packages to npm: its manifest must declare every npm package the
// bundled workspace packages use (test/pack.test.ts installs the tarball for real; this says what is missing at once).
describe('the manifest of the packed xunshi', () => {
  it('declares every npm dependency of the bundled workspace packages, with the same range', () => {
    expect(checkBundleDependencies()).toEqual([]);
  });

  it('names the package of an import specifier', () => {
    expect(packageOf('natural/lib/natural/classifiers/bayes_classifier.js')).toBe('natural');
    expect(packageOf('@microsoft/recognizers-text-number')).toBe('@microsoft/recognizers-text-number');
    expect(packageOf('@xunshi/rules/kinds')).toBe('@xunshi/rules');
  });
});
