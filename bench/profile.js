// Summaries of V8 CPU profiles (.cpuprofile): self time by owner (package or runtime part) and the hottest functions.
import { readFileSync } from 'node:fs';

function ownerOf(callFrame) {
  const url = callFrame.url;
  const name = callFrame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8/native (program)';
  if (name.startsWith('RegExp:')) return 'regular expressions (compiled, owner unknown)';
  if (url.includes('/nodejieba/')) return 'nodejieba';
  const pnpm = /node_modules\/\.pnpm\/(@[^+]+\+[^@]+|[^@/]+)@/.exec(url);
  if (pnpm) return pnpm[1].replace('+', '/');
  const pkg = /\/packages\/([^/]+)\//.exec(url);
  if (pkg) return pkg[1] === 'xunshi' ? 'xunshi (CLI/facade)' : `@xunshi/${pkg[1]}`;
  if (url.startsWith('node:') || url === '') return 'Node.js runtime (module loading, fs, encoding)';
  if (url.includes('/bench/')) return 'bench driver';
  return url;
}

function isAnonymousRuntime(cf) {
  return (cf.url === '' || cf.url.startsWith('node:')) && !cf.functionName.startsWith('(') && !cf.functionName.startsWith('RegExp:');
}

/**
 * Self time of a profile in milliseconds, grouped three ways: by owner (built-ins and runtime helpers are charged to
 * the JS package that called them), by pipeline stage (the function called from `xunshi/dist/analyzer.js`, or
 * `stageOf` when given), and the `top` hottest functions. `idle` is reported apart and left out of `busyMs`.
 */
export function summarizeProfile(path, top = 8) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const owners = new Map();
  const stages = new Map();
  const frames = new Map();
  const add = (m, k, us) => m.set(k, (m.get(k) ?? 0) + us);
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const cf = nodes.get(id).callFrame;
    if (cf.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    // Built-ins (String/RegExp/Map methods, TextDecoder) have no script of their own: charge them to their caller.
    let ownerId = id;
    while (isAnonymousRuntime(nodes.get(ownerId).callFrame) && parent.has(ownerId) && parent.get(ownerId) !== p.nodes[0].id) ownerId = parent.get(ownerId);
    add(owners, ownerOf(nodes.get(ownerId).callFrame), us);
    let child;
    let stage = '(outside analyze)';
    for (let at = id; at !== undefined; child = at, at = parent.get(at)) {
      if (nodes.get(at).callFrame.url.endsWith('/xunshi/dist/analyzer.js') && child !== undefined) {
        const c = nodes.get(child).callFrame;
        if (!c.url.endsWith('/xunshi/dist/analyzer.js')) {
          stage = `${c.functionName || '(anonymous)'} [${ownerOf(c)}]`;
          break;
        }
      }
    }
    add(stages, stage, us);
    const label = cf.functionName.startsWith('RegExp:')
      ? `RegExp ${cf.functionName.slice(7, 50).trim()}…`
      : `${cf.functionName || '(anonymous)'} (${cf.url.replace(/^.*\/(packages|node_modules)\//, '$1/').replace(/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '') || 'built-in'}:${cf.lineNumber + 1})`;
    add(frames, label, us);
  }
  const rank = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ name: k, ms: us / 1000, share: us / busy }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, owners: rank(owners).slice(0, 10), stages: rank(stages).slice(0, 10), top: rank(frames).slice(0, top) };
}
