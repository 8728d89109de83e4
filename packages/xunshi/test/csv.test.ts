import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Report } from '@xunshi/types';
import {
  CSV_BOM,
  PASSAGE_CSV_COLUMNS,
  getDocumentCsvColumns,
  quoteCsvCell,
  renderCsvRow,
  renderDocumentCsvErrorRow,
  renderDocumentCsvRow,
  renderPassageCsvErrorRow,
  renderPassageCsvHeader,
  renderPassageCsvRows,
} from '@xunshi/report';
import { parseCsv } from '../../../test/support/csv.js';

function makeReport(): Report {
  const zero = { amount: 0, people: 0, cases: 0 };
  return {
    schemaVersion: 1,
    tool: { name: 'xunshi', version: '0', rulesetHash: 'sha256:0' },
    source: { path: 'reports/一.txt', format: 'text', encoding: 'utf-8', script: 'simplified', sha256: '0', length: 40 },
    passages: [
      {
        id: 'u0', start: 0, end: 12, text: '存在"以文件落实文件",问题', headingPath: [], function: 'problem',
        functionScores: { problem: 1, cause: 0, measure: 0, context: 0 }, functionEvidence: [],
        categories: [
          { id: 'conduct', subcategory: 'conduct.formalism', score: 0.912345, evidence: [] },
          { id: 'conduct', subcategory: null, score: 0.5, evidence: [] },
        ],
        rootCauses: [{ id: 'institution', score: 0.7, evidence: [] }],
        facts: [],
      },
      {
        id: 'u1', start: 12, end: 20, text: '- 列表\n第二行', headingPath: ['一、问题'], function: 'context',
        functionScores: { problem: 0, cause: 0, measure: 0, context: 1 }, functionEvidence: [], categories: [], rootCauses: [], facts: [],
      },
      {
        id: 'u2', start: 21, end: 26, text: '全额清退。', headingPath: ['一、问题', '二\t作风建设方面'], function: 'measure',
        functionScores: { problem: 0, cause: 0, measure: 1, context: 0 }, functionEvidence: [], categories: [], rootCauses: [], facts: [],
        cell: { table: 0, row: 3, column: 2, header: '整改措施' },
      },
    ],
    summary: {
      passages: 2,
      functions: { problem: 1, cause: 0, measure: 0, context: 1 },
      categories: { political: 0, organizational: 0, conduct: 1, discipline: 0 },
      subcategories: { 'conduct.formalism': 1 },
      rootCauses: { ideology: 0, responsibility: 0, institution: 1, ecology: 0 },
      keywords: [],
      facts: { political: zero, organizational: zero, conduct: zero, discipline: zero, none: zero },
    },
    diagnostics: [],
  };
}

const cellText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom(',', '"', '\r', '\n', '\r\n', ' ', '=', '+', '-', '@', '\t')), { maxLength: 8 })
  .map((a) => a.join(''));

describe('CSV quoting', () => {
  it('quotes by RFC 4180 and only when needed', () => {
    expect(quoteCsvCell('纯文本')).toBe('纯文本');
    expect(quoteCsvCell('a,b')).toBe('"a,b"');
    expect(quoteCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvCell('two\nlines')).toBe('"two\nlines"');
    // A bare CR ends a record in Excel and in RFC 4180 readers: it is quoted like LF.
    expect(quoteCsvCell('two\rlines')).toBe('"two\rlines"');
    expect(quoteCsvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(renderCsvRow(['a', 1, 0.5, ''])).toBe('a,1,0.5,\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(quoteCsvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(quoteCsvCell('-1,2')).toBe(`"'-1,2"`);
    expect(quoteCsvCell('@x')).toBe("'@x");
    expect(quoteCsvCell('+86 10 1234')).toBe("'+86 10 1234");
    expect(quoteCsvCell('\t=1')).toBe("'\t=1");
    expect(quoteCsvCell('\r=1')).toBe(`"'\r=1"`);
    // A lone sign is plain text (standard input's name is `-`).
    expect(quoteCsvCell('-')).toBe('-');
    expect(renderCsvRow([-1])).toBe('-1\r\n');
  });

  it('round-trips any cells through a CSV parser', () => {
    fc.assert(
      // Graphemes alone never hold a control character (no CR, no LF): the pieces CSV has to quote are mixed in.
      fc.property(fc.array(fc.array(cellText, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const safe = rows.map((r) => r.map((c) => c.replace(/^[=+\-@\t\r]/, 'x')));
        expect(parseCsv(safe.map(renderCsvRow).join(''))).toEqual(safe);
      }),
    );
  });
});

describe('passage and document CSV', () => {
  it('writes one row per passage with the issue columns', () => {
    const text = renderPassageCsvHeader() + renderPassageCsvRows(makeReport());
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...PASSAGE_CSV_COLUMNS]);
    expect(rows[0]).toEqual(['document', 'passage', 'start', 'end', 'function', 'categories', 'subcategories', 'root_causes', 'scores', 'page', 'cell', 'column_header', 'heading_path', 'text']);
    expect(rows[1]).toEqual(['reports/一.txt', 'u0', '0', '12', 'problem', 'conduct', 'conduct.formalism', 'institution', 'conduct.formalism=0.912;conduct=0.5;institution=0.7', '', '', '', '', '存在"以文件落实文件",问题']);
    expect(rows[2]).toEqual(['reports/一.txt', 'u1', '12', '20', 'context', '', '', '', '', '', '', '', '一、问题', "'- 列表\n第二行"]);
    // A table cell: its table/row/column and its column's header; its headings joined by ' > ' (a tab a space).
    expect(rows[3]).toEqual(['reports/一.txt', 'u2', '21', '26', 'measure', '', '', '', '', '', '0/3/2', '整改措施', '一、问题 > 二 作风建设方面', '全额清退。']);
    expect(CSV_BOM).toBe('\uFEFF');
  });

  it('writes error rows in the same columns', () => {
    const row = parseCsv(renderPassageCsvErrorRow({ path: 'a.txt', code: 'XUNSHI_INPUT_EMPTY', message: 'a.txt is empty' }))[0]!;
    expect(row).toHaveLength(PASSAGE_CSV_COLUMNS.length);
    expect(row).toEqual(['a.txt', '', '', '', 'error', '', '', '', '', '', '', '', '', 'a.txt is empty [XUNSHI_INPUT_EMPTY]']);
  });

  it('writes one row per document with its counts, and error rows of the same width', () => {
    const subs = ['conduct.formalism', 'conduct.masses'];
    const columns = getDocumentCsvColumns(subs);
    expect(columns).toEqual(['document', 'passages', 'problem', 'cause', 'measure', 'context', 'political', 'organizational', 'conduct', 'discipline', 'conduct.formalism', 'conduct.masses', 'ideology', 'responsibility', 'institution', 'ecology', 'error_code', 'error_message']);
    const row = parseCsv(renderDocumentCsvRow(makeReport(), subs))[0]!;
    expect(row).toEqual(['reports/一.txt', '2', '1', '0', '0', '1', '0', '0', '1', '0', '1', '0', '0', '0', '1', '0', '', '']);
    const err = parseCsv(renderDocumentCsvErrorRow({ path: 'b.md', code: 'XUNSHI_INPUT_BINARY', message: 'binary, really' }, subs))[0]!;
    expect(err).toHaveLength(columns.length);
    expect(err.slice(-2)).toEqual(['XUNSHI_INPUT_BINARY', 'binary, really']);
  });
});
