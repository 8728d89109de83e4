import type { Unit } from '@xunshi/types';

/** An enclosing heading of a unit: the heading unit's index and its distance (0 = the nearest heading level). */
export interface Ancestor {
  unit: number;
  depth: number;
}

/**
 * Outline phase: for every unit, the heading units that enclose it, nearest first. A heading path entry is resolved to
 * the last heading unit seen before with that text; `depth` counts path levels, so decay follows the outline even where
 * a level has no unit of its own.
 */
export function resolveAncestors(units: readonly Unit[]): Ancestor[][] {
  const lastHeadingByText = new Map<string, number>();
  return units.map((unit, ui) => {
    const path = unit.headingPath;
    const out: Ancestor[] = [];
    for (let depth = 0; depth < path.length; depth++) {
      const hi = lastHeadingByText.get(path[path.length - 1 - depth]!);
      if (hi !== undefined) out.push({ unit: hi, depth });
    }
    if (unit.isHeading) lastHeadingByText.set(unit.text, ui);
    return out;
  });
}
