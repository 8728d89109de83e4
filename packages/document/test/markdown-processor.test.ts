import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitMarkdown } from '../src/index.js';
import { getParser, registerParsers } from '../src/parsers.js';

const DOCS = [
  '# 一、总体情况\n\n巡视组指出，整改不到位。\n',
  '- 第一项问题\n- 第二项问题\n\n> 引用的意见。\n',
  '| 问题 | 措施 |\n|---|---|\n| 制度不健全 | 修订制度 |\n',
  '二、存在的问题\n---\n\n    缩进的正文。\n\n```\n代码\n```\n',
];

describe('the Markdown block pass', () => {
  it('builds its processor once, not once per document', () => {
    const markdown = getParser('markdown');
    let built = 0;
    // The inline pass builds a processor of its own (cjkFriendly): only the block pass's are counted.
    registerParsers({ markdown: (options) => (options?.cjkFriendly ? markdown(options) : (built++, markdown(options))) });
    try {
      for (let k = 0; k < 3; k++) for (const doc of DOCS) splitMarkdown(doc);
    } finally {
      registerParsers({ markdown });
    }
    expect(built).toBeLessThanOrEqual(1);
  });

  it('gives a document the same structure whatever was parsed before it (property)', () => {
    const piece = fc.constantFrom('# 标题', '## 二、问题', '正文，', '整改。', '- 项', '> 引', '| a | b |', '|---|---|', '```', '    缩进', '', '***', '[^1]: 注', '<div>块</div>');
    const docArb = fc.array(piece, { maxLength: 12 }).map((a) => a.join('\n'));
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        const alone = splitMarkdown(a);
        splitMarkdown(b);
        expect(splitMarkdown(a)).toEqual(alone);
      }),
      { numRuns: 200 },
    );
  });
});
