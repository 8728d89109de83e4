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
});
