// Inclusive times of a V8 CPU profile (.cpuprofile), as shares of the busy time: without FUNCTION, the 60 functions
// with the most time including their callees (a recursive function counted once per stack); with FUNCTION (the start of
// a label "name file:line"), what its calls spend in each callee, DEPTH levels down (default 2), merged over call sites.
// Usage: node bench/profile-tree.js FILE.cpuprofile [FUNCTION [DEPTH]]
import { readFileSync } from 'node:fs';

const [path, focus, depthArg] = process.argv.slice(2);
const p = JSON.parse(readFileSync(path, 'utf8'));
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
let busy = 0;
for (const [id, us] of self) if (nodes.get(id).callFrame.functionName !== '(idle)') busy += us;
const inclusive = new Map();
// Post-order without recursion (profiles can be deep).
const order = [];
for (const stack = [p.nodes[0].id]; stack.length; ) {
  const id = stack.pop();
  order.push(id);
  for (const c of nodes.get(id).children ?? []) stack.push(c);
}
for (let i = order.length - 1; i >= 0; i--) {
  const n = nodes.get(order[i]);
  let t = self.get(n.id) ?? 0;
  for (const c of n.children ?? []) t += inclusive.get(c);
  inclusive.set(n.id, t);
}
const label = (cf) => `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(packages|node_modules)\//, '').replace(/\.pnpm\/[^/]+\/node_modules\//, '')}:${cf.lineNumber + 1}`;
const pct = (us) => `${((100 * us) / busy).toFixed(1)}%`.padStart(7);

if (!focus) {
  const total = new Map();
  const walk = (id, open) => {
    const l = label(nodes.get(id).callFrame);
    const first = !open.has(l);
    if (first) {
      total.set(l, (total.get(l) ?? 0) + inclusive.get(id));
      open.add(l);
    }
    for (const c of nodes.get(id).children ?? []) walk(c, open);
    if (first) open.delete(l);
  };
  walk(p.nodes[0].id, new Set());
  console.log(`busy ${(busy / 1000).toFixed(0)} ms`);
  for (const [k, v] of [...total].sort((x, y) => y[1] - x[1]).slice(0, 60)) console.log(pct(v), k);
} else {
  const depth = Number(depthArg ?? 2);
  const tree = new Map();
  let own = 0;
  let ownSelf = 0;
  const collect = (id, d, prefix) => {
    for (const c of nodes.get(id).children ?? []) {
      const key = `${prefix} > ${label(nodes.get(c).callFrame)}`;
      tree.set(key, (tree.get(key) ?? 0) + inclusive.get(c));
      if (d > 1) collect(c, d - 1, key);
    }
  };
  const find = (id, inside) => {
    const hit = !inside && label(nodes.get(id).callFrame).startsWith(focus);
    if (hit) {
      own += inclusive.get(id);
      ownSelf += self.get(id) ?? 0;
      collect(id, depth, '');
    }
    for (const c of nodes.get(id).children ?? []) find(c, inside || hit);
  };
  find(p.nodes[0].id, false);
  console.log(`${focus}: ${pct(own).trim()} including callees, ${pct(ownSelf).trim()} itself`);
  for (const [k, v] of [...tree].sort((x, y) => (x[0] < y[0] ? -1 : 1))) if (v / busy > 0.002) console.log(pct(v), k);
}
