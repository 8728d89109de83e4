import type { Fact } from '@xunshi/types';

const FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function formatNumber(n: number): string {
  return FORMAT.format(n);
}

function formatBounds(f: { value?: number; min?: number; max?: number; approx?: boolean }, unit: string): string {
  const tilde = f.approx ? '~' : '';
  if (f.value !== undefined && f.min === undefined && f.max === undefined) return `${tilde}${formatNumber(f.value)}${unit}`;
  if (f.min !== undefined && f.max !== undefined) {
    return f.min === f.max ? `~${formatNumber(f.min)}${unit}` : `${tilde}${formatNumber(f.min)}–${formatNumber(f.max)}${unit}`;
  }
  if (f.min !== undefined) return `${tilde}≥ ${formatNumber(f.min)}${unit}`;
  if (f.max !== undefined) return `${tilde}≤ ${formatNumber(f.max)}${unit}`;
  return `${tilde}${formatNumber(f.value ?? 0)}${unit}`;
}

const COMPARATOR_SIGNS = { lt: '<', le: '≤', eq: '=', ge: '≥', gt: '>' } as const;

/** One line for the terminal summary, e.g. `amount 18万元 = 180,000 CNY`. */
export function describeFact(f: Fact): string {
  switch (f.kind) {
    case 'amount':
      return `amount ${f.text} = ${formatBounds(f, ' CNY')}`;
    case 'count': {
      const what = f.counted !== undefined ? ` (${f.counted})` : '';
      const n = f.min !== undefined || f.max !== undefined ? formatBounds(f, '') : formatNumber(f.value);
      return `count ${f.text} = ${n} ${f.measure}${what}`;
    }
    case 'ratio': {
      const sign = f.comparator !== undefined ? `${COMPARATOR_SIGNS[f.comparator]} ` : '';
      const change = f.change !== undefined ? ` ${f.change}` : '';
      return `ratio ${f.text} = ${sign}${formatNumber(f.value * 100)}%${change}`;
    }
    case 'period': {
      const parts: string[] = [];
      if (f.from !== undefined || f.to !== undefined) {
        parts.push(f.from === f.to ? String(f.from) : `${f.from ?? '…'} – ${f.to ?? '…'}`);
      }
      if (f.duration !== undefined) parts.push(`${formatNumber(f.duration.value)} ${f.duration.unit}${f.duration.value === 1 ? '' : 's'}`);
      return `period ${f.text} = ${parts.join(', ') || '?'}`;
    }
    case 'unitType':
      return `unit type ${f.text} = ${f.type}`;
    case 'catchphrase':
      return `catchphrase ${f.text} = ${f.phrase}`;
  }
}
