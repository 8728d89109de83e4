import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../src/index.js';

describe('Analyzer.withModels', () => {
  const analyzer = createAnalyzer();
  const text = '巡视组指出，一些干部形式主义问题突出，违规收受礼金。要求压实主体责任，建立健全制度。';

  it('decides with the models given and leaves the analyzer it came from as it was', () => {
    const before = JSON.stringify(analyzer.analyze(text));
    // A function model whose only weight says "cause" makes every unit a cause.
    const cause = analyzer.withModels({ functionModel: { weights: { bias: { cause: 5 } } } });
    const report = cause.analyze(text);
    expect(report.passages.map((p) => p.function)).toEqual(report.passages.map(() => 'cause'));
    // A category model that keeps nothing leaves every unit without a category of its own.
    const none = analyzer.withModels({ categoryModel: { threshold: 1e9, weights: { bias: 0 } } });
    expect(none.analyze(text).passages.flatMap((p) => p.categories)).toEqual([]);
    expect(analyzer.analyze(text).passages.flatMap((p) => p.categories).length).toBeGreaterThan(0);
    expect(JSON.stringify(analyzer.analyze(text))).toBe(before);
  });

  it('names the models in the rules hash of its reports: other models, another hash; the same models, the same', () => {
    const m = { functionModel: { weights: { bias: { cause: 5 } } } };
    const h1 = analyzer.withModels(m).analyze(text).tool.rulesetHash;
    expect(h1).not.toBe(analyzer.analyze(text).tool.rulesetHash);
    expect(analyzer.withModels({ functionModel: { weights: { bias: { cause: 5 } } } }).analyze(text).tool.rulesetHash).toBe(h1);
    expect(analyzer.withModels({ functionModel: { weights: { bias: { measure: 5 } } } }).analyze(text).tool.rulesetHash).not.toBe(h1);
    expect(analyzer.withModels(m).withModels({}).analyze(text).tool.rulesetHash).not.toBe(h1);
  });

  it('refuses models that are not models', () => {
    expect(() => analyzer.withModels(null as never)).toThrow(/models must be an object/);
    expect(() => analyzer.withModels({ functionModels: {} } as never)).toThrow(/unknown key "functionModels"/);
    expect(() => analyzer.withModels({ functionModel: {} as never })).toThrow(/functionModel must be an object with weights/);
    expect(() => analyzer.withModels({ categoryModel: { weights: {} } as never })).toThrow(/categoryModel must be an object with weights and a numeric threshold/);
  });
});
