import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, REPORT_SCHEMA, createAnalyzer, type Report } from 'xunshi';
import { runMain } from './support/run-main.js';
import { encodeGb18030, makeXlsx } from '../packages/document/test/support/fixtures.js';
import { REPO_DIR } from './support/shared.js';

// A rectification ledger (整改台账) as an office system exports it: CSV in GB18030 (Excel on a Chinese Windows), a title
// row, a header row, quoted cells with commas and line breaks; beside it a report as text and a CSV that xunshi wrote.
let dir: string;
const run = runMain;
const LEDGER = [
  '县委巡察反馈问题整改落实情况台账,,,',
  '序号,问题,整改措施,完成情况',
  '1,违规发放津补贴18万元。,"全额清退，对相关责任人诫勉谈话。",已完成',
  '2,"选人用人不规范，""带病提拔""时有发生。","修订干部选拔任用办法。',
  '建立干部档案专审制度。",持续推进。',
].join('\r\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xunshi-csv-'));
  writeFileSync(join(dir, '台账.csv'), encodeGb18030(LEDGER));
  writeFileSync(join(dir, '反馈.txt'), '巡察发现，违规发放津补贴。\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a ledger as a .csv', () => {
  it('is read from a folder as a table: cells with their columns and headers, labels as in a sheet, a valid report', async () => {
    const r = await run(['analyze', dir, '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(r.code).toBe(0);
    const reports = r.out.trim().split('\n').map((l) => JSON.parse(l) as Report);
    const ledger = reports.find((x) => x.source.path?.endsWith('台账.csv'))!;
    expect(ledger.source.format).toBe('csv');
    expect(ledger.source.encoding).toBe('gb18030');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
    expect(validate(ledger), JSON.stringify(validate.errors)).toBe(true);
    const byText = new Map(ledger.passages.map((p) => [p.text, p]));
    expect(byText.get('县委巡察反馈问题整改落实情况台账')!.cell).toBeUndefined();
    expect(byText.get('全额清退，对相关责任人诫勉谈话。')!.cell).toEqual({ table: 0, row: 1, column: 2, header: '整改措施' });
    expect(byText.get('全额清退，对相关责任人诫勉谈话。')!.function).toBe('measure');
    expect(byText.get('选人用人不规范，"带病提拔"时有发生。')!.function).toBe('problem');
    expect(byText.get('建立干部档案专审制度。')!.cell).toEqual({ table: 0, row: 2, column: 2, header: '整改措施' });
    for (const p of ledger.passages) expect(ledger.source.text!.slice(p.start, p.end)).toBe(p.text);
  });
  it('a CSV that xunshi wrote is an error entry of its own, and the batch goes on', async () => {
    const out = join(dir, 'passages.csv');
    expect((await run(['analyze', join(dir, '台账.csv'), '--format', 'csv', '--out', out, '--quiet'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFFdocument,passage,/);
    const r = await run(['analyze', dir, '--format', 'jsonl', '--jobs', '1', '--quiet']);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Report & { error?: { code: string; path: string } });
    expect(lines.find((l) => l.error)?.error).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED, path: expect.stringMatching(/passages\.csv$/) });
    expect(lines.filter((l) => !l.error)).toHaveLength(2);
    rmSync(out);
  });
});

describe('a ledger as .csv reads as the same ledger as .xlsx', () => {
  it('gives the workbook\'s passages: text, offsets, labels, evidence, cells (rows built from a sample report)', async () => {
    const sentences = readFileSync(`${REPO_DIR}corpus/tuning/rectification-03.txt`, 'utf8')
      .split('\n')
      .slice(2)
      .flatMap((l) => l.trim().match(/[^。！？]+[。！？]/g) ?? []);
    const units = ['县纪委监委', '县委组织部', '县财政局'];
    const rows = [['序号', '问题', '整改措施', '责任单位', '完成时限'], ...Array.from({ length: 12 }, (_, k) => [String(k + 1), sentences[(2 * k) % sentences.length]!, sentences[(2 * k + 1) % sentences.length]!, units[k % 3]!, `2024年${k + 1}月底前`])];
    const quote = (c: string): string => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const csv = ['整改落实情况台账', ...rows.map((r) => r.map(quote).join(','))].join('\r\n');
    const analyzer = createAnalyzer();
    const fromCsv = analyzer.analyze(encodeGb18030(csv), { path: 'l.csv' });
    const fromXlsx = analyzer.analyze(await makeXlsx([{ name: '台账', rows: [['整改落实情况台账'], ...rows] }]), { path: 'l.xlsx' });
    expect(fromCsv.source.text).toBe(fromXlsx.source.text);
    expect(fromCsv.passages.length).toBeGreaterThan(60);
    expect(fromCsv.passages).toEqual(fromXlsx.passages);
    expect(fromCsv.passages.filter((p) => p.cell?.header === '整改措施').length).toBeGreaterThanOrEqual(12);
  });
});
