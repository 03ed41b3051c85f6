/** Colours by module family (src/core's ModuleDef.family), for nodes, the palette and the minimap. */
import type { Family } from '../../src/core/index.ts';

export const FAMILY_COLOR: Record<Family | 'unknown' | 'input', string> = {
  conv: '#2f6fde',
  csp: '#129a74',
  res2net: '#8a4fd8',
  pool: '#d98a09',
  resample: '#0b93ad',
  merge: '#5f6f86',
  head: '#d6453d',
  norm: '#8d8d8d',
  attention: '#d1438f',
  custom: '#7a6a5a',
  unknown: '#9aa3af',
  input: '#334155',
};

export const familyColor = (f: string | undefined) =>
  FAMILY_COLOR[(f ?? 'unknown') as keyof typeof FAMILY_COLOR] ?? FAMILY_COLOR.unknown;
