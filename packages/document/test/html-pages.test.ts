import { describe, expect, it } from 'vitest';
import { readDocument } from '../src/index.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (html: string) => readDocument(utf8(html), { path: 'page.html' });

describe('saved web pages: layout tables', () => {
  it('reads an article laid out in a table cell as paragraphs and headings, not as one table row', () => {
    const page = `<html><body><table width="1000" class="main-table"><tr><td class="con-box"><div class="article">
<div class="title">某市委关于巡视整改进展情况的通报</div>
<div class="info">来源：某市纪委监委　发布时间：2023-05-12</div>
<div class="TRS_Editor"><p>根据省委统一部署，省委第三巡视组对某市进行了常规巡视。</p>
<p><strong>一、存在的主要问题</strong></p><p>违规发放津补贴18万元。</p>
<p><strong>二、整改落实情况</strong></p><p>已全部清退。</p></div></div></td></tr></table></body></html>`;
    const doc = read(page);
    expect(doc.units.map((u) => u.text)).toContain('来源：某市纪委监委　发布时间：2023-05-12');
    expect(doc.headings.map((h) => h.text)).toEqual(['一、存在的主要问题', '二、整改落实情况']);
    expect(doc.units.find((u) => u.text === '违规发放津补贴18万元。')!.headingPath).toEqual(['一、存在的主要问题']);
    // Two columns (a menu and the article) with plain <p>s in the article cell.
    const paras = Array.from({ length: 8 }, (_, i) => `<p>第${i + 1}段正文。</p>`).join('');
    const two = read(`<table><tr><td><a href="/">首页</a></td><td>${paras.replace('<p>第3段正文。</p>', '<p>一、存在问题</p>')}</td></tr></table>`);
    expect(two.units.find((u) => u.text === '第4段正文。')!.headingPath).toEqual(['一、存在问题']);
  });
  it('keeps a rectification list (cells of text or Word-style <p>s) as rows', () => {
    const doc = read(`<p>整改清单如下。</p><table class="MsoTableGrid"><tr><td><p>序号</p></td><td><p>问题</p></td><td><p>整改措施</p></td></tr>
<tr><td><p>1</p></td><td><p>违规发放津补贴</p></td><td><p>1.全额清退。</p><p>2.诫勉谈话。</p></td></tr></table>`);
    const row = doc.units.filter((u) => ['1', '违规发放津补贴', '1.全额清退。', '2.诫勉谈话。'].includes(u.text));
    expect(row).toHaveLength(4);
    expect(new Set(row.map((u) => u.block)).size).toBe(1);
    expect(doc.text).toContain('1\t违规发放津补贴\t1.全额清退。 2.诫勉谈话。');
  });
});
