import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA, analyze, type Report } from 'xunshi';
import { makeXlsx } from '../packages/document/test/support/fixtures.js';
import { REPO_DIR } from './support/shared.js';

// passage.cell in the JSON output: where a passage of a table row lies, by the CLI and the API, valid by the schema.

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
const LEDGER =
  '<h2>一、整改落实情况</h2><table><thead><tr><th>序号</th><th>存在问题</th><th>整改措施</th></tr></thead><tbody>' +
  '<tr><td>1</td><td>选人用人不规范，违规提拔干部3名。</td><td>严格执行干部选拔任用条例，对违规提拔的干部予以纠正。</td></tr>' +
  '<tr><td>2</td><td colspan="2">违规发放津贴补贴18.5万元。已全额清退。</td></tr></tbody></table><p>下一步，将持续巩固整改成果。</p>';
const json = (report: Report): Report => JSON.parse(JSON.stringify(report)) as Report;

describe('passage.cell', () => {
  it('the API: each passage of a table row has its cell, the others none; the report is valid by the schema', () => {
    const report = json(analyze(new TextEncoder().encode(LEDGER), { path: 'a.html' }));
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    const text = (p: Report['passages'][number]): string => report.source.text!.slice(p.start, p.end);
    expect(report.passages.map((p) => [text(p), p.cell ?? null])).toEqual([
      ['一、整改落实情况', null],
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['存在问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['整改措施', { table: 0, row: 0, column: 2, isHeader: true }],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['选人用人不规范，违规提拔干部3名。', { table: 0, row: 1, column: 1, header: '存在问题' }],
      ['严格执行干部选拔任用条例，对违规提拔的干部予以纠正。', { table: 0, row: 1, column: 2, header: '整改措施' }],
      ['2', { table: 0, row: 2, column: 0, header: '序号' }],
      // Across 存在问题 and 整改措施: no one header.
      ['违规发放津贴补贴18.5万元。', { table: 0, row: 2, column: 1 }],
      ['已全额清退。', { table: 0, row: 2, column: 1 }],
      ['下一步，将持续巩固整改成果。', null],
    ]);
  });

  it('text input: no passage has a cell, the report as before (no cell key at all)', () => {
    const report = analyze('序号\t问题\t措施\n1\t选人用人不规范。\t严格执行条例。\n');
    expect(report.passages.length).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toContain('"cell"');
  });

  it('the schema rejects a malformed cell', () => {
    const report = json(analyze(new TextEncoder().encode(LEDGER), { path: 'a.html' }));
    const withCell = (cell: unknown): unknown => ({ ...report, passages: report.passages.map((p, i) => (i === 4 ? { ...p, cell } : p)) });
    expect(validate(withCell({ table: 0, row: 1, column: 0, header: '序号' }))).toBe(true);
    for (const bad of [{ table: -1, row: 0, column: 0 }, { table: 0, row: 0.5, column: 0 }, { table: 0, row: 0 }, { table: 0, row: 0, column: 0, header: '' }, { table: 0, row: 0, column: 0, isHeader: false }, { table: 0, row: 0, column: 0, span: 2 }]) {
      expect(validate(withCell(bad)), JSON.stringify(bad)).toBe(false);
    }
  });

  it('the CLI: analyze --format json of a workbook gives the cells of its sheet, valid by the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-cells-'));
    try {
      const file = join(dir, 'ledger.xlsx');
      writeFileSync(file, await makeXlsx([{ name: 'S', rows: [['整改台账'], ['序号', '存在问题', null, '整改措施'], [1, '选人用人不规范。', null, '严格执行条例。']] }]));
      const r = spawnSync(process.execPath, [BIN, 'analyze', file, '--format', 'json'], { cwd: REPO_DIR, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(validate(report) ? [] : validate.errors).toEqual([]);
      expect(report.passages.map((p) => p.cell ?? null)).toEqual([
        null,
        { table: 0, row: 0, column: 0, isHeader: true },
        { table: 0, row: 0, column: 1, isHeader: true },
        { table: 0, row: 0, column: 3, isHeader: true },
        { table: 0, row: 1, column: 0, header: '序号' },
        { table: 0, row: 1, column: 1, header: '存在问题' },
        { table: 0, row: 1, column: 3, header: '整改措施' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
