/**
 * Which layer became which between the last readable document and the text once it reads again (typing goes
 * through core's editText, whose mapping is exact, but edits through unreadable text carry no rows). Rows are
 * matched by their text (longest common subsequence), then unmatched rows between two matches pair up in
 * order, so node positions and the selection follow a row that was edited, inserted above or deleted.
 */
import type { IndexMap } from '../../src/core/edit/index.ts';

export function rowMapping(before: string[], after: string[]): IndexMap {
  const n = before.length;
  const m = after.length;
  const map: IndexMap = new Array(n).fill(null);
  if (n * m > 4_000_000) return before.map((_, i) => (i < m ? i : null));
  // LCS table
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i][j] = before[i] === after[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (before[i] === after[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  for (const [i, j] of pairs) map[i] = j;
  // gaps: an edited row keeps its identity when the gap has rows on both sides
  const anchors: [number, number][] = [[-1, -1], ...pairs, [n, m]];
  for (let k = 0; k + 1 < anchors.length; k++) {
    const [i0, j0] = anchors[k];
    const [i1, j1] = anchors[k + 1];
    const gap = Math.min(i1 - i0 - 1, j1 - j0 - 1);
    for (let d = 1; d <= gap; d++) map[i0 + d] = j0 + d;
  }
  return map;
}
