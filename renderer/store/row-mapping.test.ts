import { describe, expect, it } from 'vitest';
import { rowMapping } from './row-mapping.ts';

describe('row mapping after typing', () => {
  it('keeps identity when nothing moved, and an edited row stays itself', () => {
    expect(rowMapping(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual([0, 1, 2]);
    expect(rowMapping(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual([0, 1, 2]);
  });
  it('follows inserted and deleted rows', () => {
    expect(rowMapping(['a', 'b', 'c'], ['a', 'x', 'b', 'c'])).toEqual([0, 2, 3]);
    expect(rowMapping(['a', 'b', 'c'], ['a', 'c'])).toEqual([0, null, 1]);
  });
  it('handles repeated rows', () => {
    expect(rowMapping(['c', 'c', 'd'], ['c', 'c', 'c', 'd'])).toEqual([0, 1, 3]);
  });
});
