/**
 * The fixed style sheet and scripts of the HTML report. They are constants (never built from report data), so their
 * SHA-256 hashes can be listed in the page's Content Security Policy instead of allowing inline code in general.
 */

/** Category colours (underline, outline badges, chart bars). */
export const CATEGORY_COLOURS: Record<string, string> = {
  political: '#b3261e',
  organizational: '#1f5fbf',
  conduct: '#7b3fa0',
  discipline: '#0d7a68',
};

/** Root-cause colours (chart bars, badges). */
export const ROOT_CAUSE_COLOURS: Record<string, string> = {
  ideology: '#a15c00',
  responsibility: '#5b6b00',
  institution: '#00658f',
  ecology: '#8a3a5a',
};

const categoryRules = Object.entries(CATEGORY_COLOURS)
  .map(([id, c]) => `.c1-${id}{border-bottom-color:${c}}.c2-${id}{text-decoration-color:${c}}.sw-${id}{background:${c}}.n.c-${id}{background:${c}}svg .bar.sw-${id}{fill:${c}}`)
  .join('\n');
const rootRules = Object.entries(ROOT_CAUSE_COLOURS)
  .map(([id, c]) => `.sw-${id}{background:${c}}.n.r-${id}{background:${c}}svg .bar.sw-${id}{fill:${c}}`)
  .join('\n');

/** Style sheet shared by the document pages and the index. */
export const PAGE_CSS = `
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9d9de;--bg:#fbfbfa;--panel:#fff;
--fn-problem:#fde0de;--fn-cause:#fff0bf;--fn-measure:#d9f2e1;--fn-context:transparent;--ev:rgba(255,190,0,.6)}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;color:var(--fg);background:var(--bg);
font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;line-height:1.6}
a{color:#1f5fbf}
:focus-visible{outline:3px solid #1f5fbf;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:10}
.skip:focus{left:.5rem}
header.top{padding:1rem 1.5rem .75rem;border-bottom:1px solid var(--line);background:var(--panel)}
header.top h1{font-size:1.25rem;margin:0 0 .25rem;overflow-wrap:anywhere;unicode-bidi:isolate}
.meta{color:var(--muted);font-size:.85rem;margin:0;overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0 0;padding:0;list-style:none;font-size:.85rem}
.legend li{display:flex;align-items:center;gap:.3rem}
.sw{display:inline-block;width:.9rem;height:.9rem;border-radius:2px;border:1px solid rgba(0,0,0,.15)}
.sw-fn-problem{background:var(--fn-problem)}.sw-fn-cause{background:var(--fn-cause)}.sw-fn-measure{background:var(--fn-measure)}.sw-fn-context{background:#fff}
.sw-ev{background:var(--ev)}
.layout{display:grid;grid-template-columns:minmax(12rem,19rem) minmax(0,1fr);gap:0;align-items:start}
nav.outline{position:sticky;top:0;max-height:100vh;overflow:auto;padding:1rem;border-right:1px solid var(--line);font-size:.85rem}
nav.outline h2,.filters legend{font-size:.9rem;margin:0 0 .5rem}
nav.outline ol{list-style:none;margin:0;padding:0}
nav.outline li{margin:.15rem 0;padding-left:calc((var(--d,1) - 1) * .9rem)}
nav.outline li.lv2{--d:2}nav.outline li.lv3{--d:3}nav.outline li.lv4{--d:4}nav.outline li.lv5{--d:5}nav.outline li.lv6{--d:6}
nav.outline a{text-decoration:none;color:var(--fg);overflow-wrap:anywhere;unicode-bidi:isolate}
nav.outline a:hover{text-decoration:underline}
.counts{display:inline-flex;gap:2px;margin-left:.3rem;vertical-align:middle}
.n{display:inline-block;min-width:1.2rem;padding:0 .25rem;border-radius:.6rem;color:#fff;font-size:.7rem;line-height:1.1rem;text-align:center}
main{padding:0 1.5rem 3rem;min-width:0}
form.filters{position:sticky;top:0;z-index:2;background:var(--bg);padding:.75rem 0;border-bottom:1px solid var(--line);
display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;font-size:.85rem}
form.filters label{display:flex;flex-direction:column;gap:.15rem}
form.filters select{font:inherit;padding:.2rem .3rem;max-width:16rem}
#count{color:var(--muted)}
.kbd{color:var(--muted);font-size:.75rem}
.para{margin:0 0 .55em;content-visibility:auto;contain-intrinsic-size:auto 4em}
.rows{overflow-x:auto}
.cells{border-collapse:collapse;white-space:normal;line-height:1.7;font-size:.95rem}
.cells td,.cells th{border:1px solid var(--line);padding:.2rem .45rem;vertical-align:top;text-align:left}
.cells th{background:var(--bg);font-weight:600}
.doc{white-space:pre-wrap;overflow-wrap:anywhere;word-break:normal;font-size:1.02rem;line-height:2;max-width:52rem;margin-top:1rem;
background:var(--panel);padding:1.25rem 1.5rem;border:1px solid var(--line);border-radius:6px}
.p{unicode-bidi:isolate;border-bottom:2px solid transparent;border-radius:2px;padding:.1rem 0;cursor:default}
.fn-problem{background:var(--fn-problem)}.fn-cause{background:var(--fn-cause)}.fn-measure{background:var(--fn-measure)}
.p.c2{text-decoration-line:underline;text-decoration-style:dotted;text-decoration-thickness:2px;text-underline-offset:.45em}
.p.h{font-weight:700;font-size:1.08rem}
.p:hover,.p:focus,.p.cur{outline:2px solid rgba(31,95,191,.55);outline-offset:1px}
.p:target{outline:3px solid #1f5fbf}
.ev{background-image:linear-gradient(transparent 50%,var(--ev) 50%);font-weight:600}
.evf{text-decoration:underline dotted #9a9a9a;text-underline-offset:.3em}
.chip{display:inline-block;margin:0 .15rem;padding:0 .35rem;border-radius:.7rem;border:1px solid #b9c3d3;background:#eef3fa;color:#2b3a55;
font-size:.72rem;line-height:1.25rem;font-weight:400;vertical-align:.1rem;user-select:none;white-space:nowrap;max-width:20rem;overflow:hidden;text-overflow:ellipsis;unicode-bidi:isolate}
.chip-amount{background:#fff4e0;border-color:#e3c28a;color:#6b4300}
.chip-ratio{background:#eaf7ee;border-color:#9fcfad;color:#1d5a2e}
.chip-period{background:#f1ecfa;border-color:#c3b2e3;color:#4a2f7a}
.off{opacity:.22}
body.hide .off{display:none}
#tip{position:fixed;z-index:5;max-width:32rem;background:#fff;border:1px solid #aab;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.18);
padding:.6rem .8rem;font-size:.85rem;line-height:1.5;white-space:normal;overflow-wrap:anywhere;unicode-bidi:isolate}
#tip div{margin:.1rem 0}
#tip .tip-h{font-weight:700}
#tip .why{color:#7a2b00}
#tip .rules{color:var(--muted);font-size:.78rem}
.section{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:1rem 1.25rem;margin:1rem 0}
.section h2{font-size:1rem;margin:0 0 .75rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem 2rem}
.charts figure{margin:0;flex:1 1 34rem;max-width:46rem}
.charts figcaption{font-weight:700;font-size:.95rem;margin-bottom:.5rem}
svg.chart{width:100%;height:auto;font-family:inherit}
svg.chart text{font-size:12px;fill:#333}
svg.chart .track{fill:#eef0f3}
svg.chart .bar-problem{fill:#c44a3d}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:700;border:0;background:none;padding:0;cursor:pointer;color:inherit;text-align:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
td.path{overflow-wrap:anywhere;unicode-bidi:isolate;max-width:28rem}
.wrap{max-width:80rem;margin:0 auto;padding:0 1.5rem 3rem}
.errors td{color:#8a1c12}
@media (max-width:48rem){.layout{grid-template-columns:1fr}nav.outline{position:static;max-height:none;border-right:0}}
${categoryRules}
${rootRules}
`;

/** Filters, hover/focus explanations and keyboard navigation of a document page (plain ES2017, no dependencies). */
export const DOCUMENT_JS = `(function () {
'use strict';
var body = document.body;
var L = {};
try { L = JSON.parse(body.getAttribute('data-labels') || '{}'); } catch (e) { L = {}; }
function zh(id) { var l = L[id]; return l ? l.zh : id; }
function both(id) { var l = L[id]; return l ? l.zh + ' ' + l.en : id; }
function byId(id) { return document.getElementById(id); }
var doc = byId('doc');
if (!doc) return;
var ps = Array.prototype.slice.call(doc.getElementsByClassName('p'));
var R = [];
try { R = JSON.parse(doc.getAttribute('data-rules') || '[]'); } catch (e) { R = []; }
var sel = { fn: byId('f-fn'), cat: byId('f-cat'), sub: byId('f-sub'), rc: byId('f-rc'), mode: byId('f-mode') };
var count = byId('count');
function has(list, v) {
  if (v === '-') return !list;
  return (' ' + (list || '') + ' ').indexOf(' ' + v + ' ') >= 0;
}
function apply() {
  var fn = sel.fn.value, cat = sel.cat.value, sub = sel.sub.value, rc = sel.rc.value;
  body.classList.toggle('hide', sel.mode.value === 'hide');
  var n = 0;
  for (var i = 0; i < ps.length; i++) {
    var p = ps[i];
    var ok = (fn === '' || p.getAttribute('data-fn') === fn) && (cat === '' || has(p.getAttribute('data-cat'), cat)) &&
      (sub === '' || has(p.getAttribute('data-sub'), sub)) && (rc === '' || has(p.getAttribute('data-rc'), rc));
    if (ok) n++;
    if (p.classList.contains('off') === ok) p.classList.toggle('off', !ok);
    // A passage the filters leave out is no tab stop (as j/k skip it); one that is a tab stop in the markup is again
    // when the filters bring it back.
    if (p.hasAttribute('tabindex')) p.tabIndex = ok ? 0 : -1;
  }
  count.textContent = n + ' / ' + ps.length + ' 段 passages';
}
['fn', 'cat', 'sub', 'rc', 'mode'].forEach(function (k) { if (sel[k]) sel[k].addEventListener('change', apply); });
var reset = byId('f-reset');
if (reset) reset.addEventListener('click', function () {
  ['fn', 'cat', 'sub', 'rc'].forEach(function (k) { sel[k].value = ''; });
  sel.mode.value = 'dim';
  apply();
});
apply();

var tip = byId('tip');
var current = null;
function line(cls, text) {
  var d = document.createElement('div');
  if (cls) d.className = cls;
  d.textContent = text;
  tip.appendChild(d);
}
function quoted(list) {
  var seen = {}, out = [];
  for (var i = 0; i < list.length; i++) {
    var t = list[i][1];
    if (!Object.prototype.hasOwnProperty.call(seen, t)) { seen[t] = 1; out.push('\\u201c' + t + '\\u201d'); }
  }
  return out.join('\\u3001');
}
function build(p) {
  var d = {};
  try { d = JSON.parse(p.getAttribute('data-x') || '{}'); } catch (e) { d = {}; }
  var fn = p.getAttribute('data-fn');
  tip.textContent = '';
  line('tip-h', '\\u529f\\u80fd Function\\uff1a' + both(fn) + '  \\u00b7  ' + p.id.replace(/^p-/, ''));
  var fs = d.fs || [0, 0, 0, 0], fids = ['problem', 'cause', 'measure', 'context'];
  line('', '\\u5f97\\u5206 Scores\\uff1a' + fids.map(function (f, i) { return zh(f) + ' ' + f + ' ' + fs[i]; }).join(' \\u00b7 '));
  var texts = {};
  Array.prototype.forEach.call(p.querySelectorAll('[data-ev]'), function (seg) {
    seg.getAttribute('data-ev').split(' ').forEach(function (k) { texts[k] = (texts[k] || '') + seg.textContent; });
  });
  var ev = (d.e || []).map(function (e, i) { return typeof e === 'number' ? [R[e], texts[i] || ''] : [R[e[0]], e[1]]; });
  var cs = d.c || [], rs = d.r || [], nf = d.nf || 0;
  cs.forEach(function (c) { line('', '\\u7c7b\\u522b Category\\uff1a' + both(c[0]) + (c[1] ? ' \\u203a ' + both(c[1]) : '') + '\\uff08' + c[2] + '\\uff09'); });
  rs.forEach(function (r) { line('', '\\u6839\\u6e90 Root cause\\uff1a' + both(r[0]) + '\\uff08' + r[1] + '\\uff09'); });
  var k = nf;
  cs.forEach(function (c) {
    var mine = ev.slice(k, k + c[3]); k += c[3];
    if (mine.length) line('why', '\\u547d\\u4e2d\\u89c4\\u5219 ' + zh(c[0]) + (c[1] ? '\\u00b7' + zh(c[1]) : '') + '\\uff1a' + quoted(mine));
  });
  rs.forEach(function (r) {
    var mine = ev.slice(k, k + r[2]); k += r[2];
    if (mine.length) line('why', '\\u547d\\u4e2d\\u89c4\\u5219 \\u6839\\u6e90\\u00b7' + zh(r[0]) + '\\uff1a' + quoted(mine));
  });
  if (nf) line('why', '\\u547d\\u4e2d\\u89c4\\u5219 \\u529f\\u80fd\\u00b7' + zh(fn) + '\\uff1a' + quoted(ev.slice(0, nf)));
  if (!ev.length) line('why', '\\u672a\\u547d\\u4e2d\\u89c4\\u5219 No rule fired');
  else {
    var rules = [], seen = {};
    ev.forEach(function (e) { if (!Object.prototype.hasOwnProperty.call(seen, e[0])) { seen[e[0]] = 1; rules.push(e[0]); } });
    line('rules', '\\u89c4\\u5219 Rules\\uff1a' + rules.join(', '));
  }
}
function place(p) {
  var rects = p.getClientRects();
  var r = rects.length ? rects[0] : p.getBoundingClientRect();
  var w = tip.offsetWidth, hgt = tip.offsetHeight;
  var left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
  var top = r.bottom + 6;
  if (top + hgt > window.innerHeight - 8) top = Math.max(8, r.top - hgt - 6);
  tip.style.left = left + 'px';
  tip.style.top = top + 'px';
}
function show(p) {
  if (current === p) return;
  hide();
  current = p;
  p.classList.add('cur');
  p.setAttribute('aria-describedby', 'tip');
  build(p);
  tip.hidden = false;
  place(p);
}
function hide() {
  if (current) { current.classList.remove('cur'); current.removeAttribute('aria-describedby'); }
  current = null;
  tip.hidden = true;
}
doc.addEventListener('mouseover', function (e) { var p = e.target.closest && e.target.closest('.p'); if (p) show(p); });
doc.addEventListener('mouseleave', hide);
doc.addEventListener('focusin', function (e) { var p = e.target.closest && e.target.closest('.p'); if (p) show(p); });
doc.addEventListener('focusout', hide);
window.addEventListener('scroll', function () { if (current) place(current); }, { passive: true });
document.addEventListener('keydown', function (e) {
  if (e.key === 'Escape') { hide(); return; }
  var t = e.target;
  if (t && (t.tagName === 'SELECT' || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.key !== 'j' && e.key !== 'k') return;
  var list = ps.filter(function (p) { return p.tabIndex >= 0 && !p.classList.contains('off'); });
  if (!list.length) return;
  var at = list.indexOf(document.activeElement);
  var next = e.key === 'j' ? (at < 0 ? 0 : Math.min(list.length - 1, at + 1)) : (at < 0 ? 0 : Math.max(0, at - 1));
  list[next].focus();
  e.preventDefault();
});
})();
`;

/** Sorting of the index's document table. */
export const INDEX_JS = `(function () {
'use strict';
var table = document.getElementById('docs');
if (!table) return;
var heads = table.tHead.rows[0].cells;
var tbody = table.tBodies[0];
function key(row, col, num) {
  var v = row.cells[col].getAttribute('data-v');
  return num ? Number(v) : v;
}
Array.prototype.forEach.call(heads, function (th, col) {
  var b = th.querySelector('button');
  if (!b) return;
  b.addEventListener('click', function () {
    var num = th.classList.contains('num');
    var dir = th.getAttribute('aria-sort') === (num ? 'descending' : 'ascending') ? (num ? 'ascending' : 'descending') : (num ? 'descending' : 'ascending');
    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
    var rows = Array.prototype.slice.call(tbody.rows);
    var sign = dir === 'ascending' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = key(a, col, num), y = key(b, col, num);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return c * sign || Number(a.getAttribute('data-i')) - Number(b.getAttribute('data-i'));
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  });
});
})();
`;
