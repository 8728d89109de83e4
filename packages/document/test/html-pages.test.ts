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
  it('takes a numbered title right before a table as the heading of the table, and no cell as a heading', () => {
    const doc = read(`<p>某县巡察整改情况报告</p><p>按照县委部署，现将整改情况报告如下。</p><p>一、问题整改清单</p>
<table><tr><td>二、问题</td><td>整改情况</td></tr><tr><td>学习不深入</td><td>已完成</td></tr></table><p>三、下步打算</p><p>持续抓好整改。</p>`);
    expect(doc.headings.map((h) => h.text)).toEqual(['一、问题整改清单', '三、下步打算']);
    expect(doc.units.find((u) => u.text === '学习不深入')!.headingPath).toEqual(['一、问题整改清单']);
    expect(doc.units.find((u) => u.text === '持续抓好整改。')!.headingPath).toEqual(['三、下步打算']);
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

describe('saved web pages: link chrome', () => {
  const page = `<html><body><div class="menu"><a href="/">首页</a><a href="/yw/">要闻</a><a href="/xs/">巡视巡察</a></div>
<div class="bread">当前位置：<a href="/">首页</a> &gt; <a href="/xs/">巡视巡察</a> &gt; 正文</div>
<main><h1>某县委关于巡察整改情况的通报</h1>
<p>巡察组指出，该镇违规发放津补贴18万元。</p>
<p>深入学习<a href="/a">习近平新时代中国特色社会主义思想</a>和<a href="/b">党的二十大精神</a></p>
<p>附件：<a href="/f/1.pdf">整改问题清单</a>　<a href="/f/2.docx">整改台账</a></p>
<div class="sign"><p>中共某县委</p><p>2023年5月12日</p><div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div></div>
<div class="pages"><p>上一篇：<a href="/p">关于开展安全检查的通知</a></p><p>下一篇：<a href="/n">县政府召开常务会议</a></p></div>
<div class="xgxw"><div class="t">相关新闻</div><ul><li><a href="/1">某县通报3起违规发放津补贴典型问题</a><span>2023-01-13</span></li>
<li><a href="/2">县委巡察组进驻某镇开展常规巡察</a><span>2023-03-02</span></li></ul></div></main></body></html>`;
  const doc = read(page);
  it('leaves out menus, breadcrumbs, share bars, previous/next links and related-article lists', () => {
    for (const gone of ['巡视巡察', '当前位置', '分享到', '上一篇', '下一篇', '典型问题', '进驻某镇']) expect(doc.text).not.toContain(gone);
  });
  it('keeps report lines: sentences, lines with links inside, attachments, the signature and date next to a share bar', () => {
    for (const kept of ['巡察组指出，该镇违规发放津补贴18万元。', '深入学习习近平新时代中国特色社会主义思想和党的二十大精神', '附件：整改问题清单　整改台账', '中共某县委', '2023年5月12日', '相关新闻']) {
      expect(doc.text).toContain(kept);
    }
    // With the chrome before it gone, the h1 is the leading title, a body line as in text.
    expect(doc.units[0]!.text).toBe('某县委关于巡察整改情况的通报');
    expect(doc.units[1]!.headingPath).toEqual([]);
  });
});

describe('saved web pages: the title after leftover chrome', () => {
  it('an h1/h2 title after short chrome lines (搜索, a date bar) is the title, not a heading of every unit, as in text', () => {
    const doc = read(`<div class="top"><span>2023年5月12日 星期五</span></div><div class="search"><a class="btn" href="javascript:;">搜索</a></div>
<div class="article"><h2 class="tit">某市委关于巡视整改进展情况的通报</h2><p>根据省委统一部署，省委巡视组对某市进行了巡视。</p>
<p>一、存在的主要问题</p><p>违规发放津补贴18万元。</p></div>`);
    expect(doc.headings.map((h) => h.text)).toEqual(['一、存在的主要问题']);
    expect(doc.units.find((u) => u.text === '根据省委统一部署，省委巡视组对某市进行了巡视。')!.headingPath).toEqual([]);
    expect(doc.units.find((u) => u.text === '违规发放津补贴18万元。')!.headingPath).toEqual(['一、存在的主要问题']);
    // After a paragraph of prose, a lone heading is a section, as before.
    const after = read('<p>根据省委统一部署，省委巡视组对某市进行了巡视。</p><h2>整改落实情况</h2><p>已全部清退。</p>');
    expect(after.units.find((u) => u.text === '已全部清退。')!.headingPath).toEqual(['整改落实情况']);
  });
});

describe('saved web pages: chrome elements that hold the report', () => {
  const body = '<div class="main"><h1>某县委关于巡察整改情况的通报</h1><p>巡察组指出，该镇违规发放津补贴18万元。</p><p>一、存在的主要问题</p><p>基层党组织建设薄弱。</p></div>';
  it('reads the report inside an unclosed <header> or <nav> (the template never closed it: it ends at </body>)', () => {
    for (const open of ['<header class="head"><div class="logo">某县纪委监委</div>', '<nav class="menu"><ul><li><a href="/">首页</a></li><li><a href="/a">工作动态</a></li></ul>']) {
      const doc = read(`<html><body>${open}${body}</body></html>`);
      expect(doc.text).toContain('巡察组指出，该镇违规发放津补贴18万元。');
      expect(doc.units.find((u) => u.text === '基层党组织建设薄弱。')!.headingPath).toEqual(['一、存在的主要问题']);
      expect(doc.text).not.toContain('工作动态');
    }
  });
  it('still leaves out a page header, aside or footer with a sentence or two next to the report', () => {
    const doc = read(`<html><body><header><p>网站公告：系统维护通知。</p></header>${body}<aside><p>某县通报3起违规发放津补贴典型问题。</p></aside><footer>建议使用IE8以上浏览器。</footer></body></html>`);
    for (const gone of ['网站公告', '典型问题', '浏览器']) expect(doc.text).not.toContain(gone);
  });
});

describe('saved web pages: line breaks in the source', () => {
  it('a source line break between a Chinese character and a digit is no space (counts keep what they count)', () => {
    const doc = read('<p>违规发放津补贴\n18万元，涉及干部\r\n12人，2023年\n5月完成。</p><p>使用 Word\n2016 编辑。</p>');
    expect(doc.text).toContain('违规发放津补贴18万元，涉及干部12人，2023年5月完成。');
    expect(doc.text).toContain('使用 Word 2016 编辑。');
  });
});
