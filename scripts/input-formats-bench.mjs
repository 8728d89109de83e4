#!/usr/bin/env node
// Time per MB for each input format: the project's sample reports (corpus/tuning, corpus/held-out) joined into one
// report and written as .txt, .md, .html, .docx (JSZip + minimal WordprocessingML) and .pdf (headless Chromium, when
// installed), then read (extraction only) and analysed (extraction + analysis) in this thread, best of N runs.
//   pnpm build && node scripts/input-formats-bench.mjs [--runs 3] [--copies 1]
// "MB" is 10^6 bytes of the input file; the per-MB of extracted text is printed too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import JSZip from 'jszip';
import { readDocumentAsync } from '../packages/document/dist/index.js';
import { createAnalyzer } from 'xunshi';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? def : Number(process.argv[i + 1]);
};
const runs = arg('--runs', 3);
const copies = arg('--copies', 1);
const root = new URL('../corpus/', import.meta.url).pathname;
const lines = [];
for (const part of ['tuning', 'held-out']) {
  for (const f of readdirSync(join(root, part)).filter((n) => n.endsWith('.txt') && !n.includes('gbk')).sort()) {
    lines.push(...readFileSync(join(root, part, f), 'utf8').split(/\r?\n/).filter((l) => l.trim()));
  }
}
const all = Array.from({ length: copies }, () => lines).flat();
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const dir = mkdtempSync(join(tmpdir(), 'xunshi-formats-bench-'));
const files = {};
files.txt = join(dir, 'r.txt');
writeFileSync(files.txt, all.join('\n') + '\n');
files.md = join(dir, 'r.md');
writeFileSync(files.md, all.join('\n\n') + '\n');
files.html = join(dir, 'r.html');
const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei';font-size:12pt} p{margin:0;text-indent:2em}</style></head><body>${all.map((l) => `<p>${esc(l.trim())}</p>`).join('\n')}</body></html>`;
writeFileSync(files.html, html);
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const zip = new JSZip();
zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>');
zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${all.map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`).join('')}</w:body></w:document>`);
files.docx = join(dir, 'r.docx');
writeFileSync(files.docx, await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (chromium) {
  files.pdf = join(dir, 'r.pdf');
  execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--user-data-dir=${join(dir, 'profile')}`, `--print-to-pdf=${files.pdf}`, `file://${files.html}`], { stdio: 'ignore', timeout: 300_000 });
} else {
  console.log('pdf: skipped (no headless Chromium)');
}

const analyzer = createAnalyzer();
analyzer.warmUp();
const best = async (fn) => {
  let t = Infinity;
  let out;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    out = await fn();
    t = Math.min(t, performance.now() - s);
  }
  return { ms: t, out };
};
console.log(`input: ${all.length} paragraphs of the project's sample reports; best of ${runs} runs; Node ${process.version}`);
// One untimed pass over every format first, so that no format pays for JIT warm-up or lazy module loading.
for (const path of Object.values(files)) await analyzer.analyzeAsync(new Uint8Array(readFileSync(path)), { path });
console.log('format  file bytes  text MB  pages  extract ms  extract s/MB(file)  extract s/MB(text)  analyse ms  analyse s/MB(file)  analyse s/MB(text)  units');
for (const [format, path] of Object.entries(files)) {
  const bytes = new Uint8Array(readFileSync(path));
  const extract = await best(() => readDocumentAsync(bytes, { path }));
  const analyse = await best(() => analyzer.analyzeAsync(bytes, { path }));
  const mb = bytes.length / 1e6;
  const doc = extract.out;
  const textMb = Buffer.byteLength(doc.text, 'utf8') / 1e6;
  console.log(
    [format.padEnd(6), String(bytes.length).padStart(10), textMb.toFixed(3).padStart(7), String(doc.pages?.length ?? '-').padStart(5), extract.ms.toFixed(0).padStart(10), (extract.ms / 1000 / mb).toFixed(2).padStart(18), (extract.ms / 1000 / textMb).toFixed(2).padStart(18), analyse.ms.toFixed(0).padStart(10), (analyse.ms / 1000 / mb).toFixed(2).padStart(18), (analyse.ms / 1000 / textMb).toFixed(2).padStart(18), String(analyse.out.passages.length).padStart(6)].join('  '),
  );
}
rmSync(dir, { recursive: true, force: true });
