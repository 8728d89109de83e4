import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA, analyze } from 'xunshi';
import { REPO_DIR } from './support/shared.js';

describe('Report JSON Schema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
  it('every report of the project corpus conforms to the schema', () => {
    for (const part of ['tuning', 'held-out']) {
      for (const name of readdirSync(`${REPO_DIR}corpus/${part}`).filter((f) => /\.(txt|md)$/.test(f))) {
        const report = JSON.parse(JSON.stringify(analyze(readFileSync(`${REPO_DIR}corpus/${part}/${name}`), { path: name })));
        const ok = validate(report);
        expect(ok ? [] : validate.errors, name).toEqual([]);
      }
    }
  });
  it('rejects a report with an unknown label', () => {
    const report = JSON.parse(JSON.stringify(analyze('选人用人不规范。')));
    report.passages[0].function = 'complaint';
    expect(validate(report)).toBe(false);
  });
  it('accepts the extracted formats: source.text, source.pages and passage.page', () => {
    const report = JSON.parse(JSON.stringify(analyze(new TextEncoder().encode('<h2>一、整改情况</h2><p>选人用人不规范。</p>'), { path: 'a.html' })));
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.source.text.slice(report.passages[1].start, report.passages[1].end)).toBe('选人用人不规范。');
    const pdfLike = { ...report, source: { ...report.source, format: 'pdf', pages: 2 }, passages: report.passages.map((p: object) => ({ ...p, page: 1 })) };
    expect(validate(pdfLike) ? [] : validate.errors).toEqual([]);
  });
  it('rejects a bad page, a non-string source.text and an unknown format', () => {
    const report = JSON.parse(JSON.stringify(analyze(new TextEncoder().encode('<p>选人用人不规范。</p>'), { path: 'a.html' })));
    expect(validate({ ...report, passages: report.passages.map((p: object) => ({ ...p, page: 0 })) })).toBe(false);
    expect(validate({ ...report, source: { ...report.source, text: 42 } })).toBe(false);
    expect(validate({ ...report, source: { ...report.source, format: 'odp' } })).toBe(false);
  });
});
