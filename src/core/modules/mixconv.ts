/**
 * MixConv2d (YOLOv5's models/experimental.py), hand-written: its channel split per kernel size is a solver
 * (torch.linspace in float32, or a least-squares system for equal weights) that the description format's
 * expressions cannot state. Everything else about it is declared as for a description (handWritten).
 */
import { BuildError } from '../graph.ts';
import { msg } from '../messages/index.ts';
import { gcd } from '../py.ts';
import { c1c2 } from './conv.ts';
import { handWritten } from './define.ts';

/** torch.linspace(0, n - 1e-6, c2).floor() counts, computed as PyTorch does in float32. */
function mixChannels(n: number, c2: number, k: number[], equal: boolean): number[] {
  if (equal) {
    const f = Math.fround;
    const end = f(n - 1e-6);
    const step = c2 > 1 ? f(end / (c2 - 1)) : 0;
    const half = Math.floor(c2 / 2);
    const counts = new Array(n).fill(0);
    for (let i = 0; i < c2; i++) {
      const v = i < half ? f(i * step) : f(end - f((c2 - 1 - i) * step));
      counts[Math.floor(v)]++;
    }
    return counts;
  }
  // equal weight.numel() per group: least squares of a (n+1)xn system, rounded half to even
  const a: number[][] = [];
  for (let r = 0; r <= n; r++) a.push(new Array(n).fill(0));
  for (let r = 1; r <= n; r++) a[r][r - 1] = 1;
  const rolled = a.map((row) => row.map((_, j) => row[(j - 1 + n) % n]));
  for (let r = 0; r <= n; r++) for (let j = 0; j < n; j++) a[r][j] = (a[r][j] - rolled[r][j]) * k[j] ** 2;
  a[0] = new Array(n).fill(1);
  const b = [c2, ...new Array(n).fill(0)];
  // normal equations (A^T A) x = A^T b
  const ata = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => a.reduce((acc, row) => acc + row[i] * row[j], 0)),
  );
  const atb = Array.from({ length: n }, (_, i) => a.reduce((acc, row, r) => acc + row[i] * b[r], 0));
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(ata[r][c]) > Math.abs(ata[piv][c])) piv = r;
    [ata[c], ata[piv]] = [ata[piv], ata[c]];
    [atb[c], atb[piv]] = [atb[piv], atb[c]];
    for (let r = 0; r < n; r++) {
      if (r === c || ata[c][c] === 0) continue;
      const m = ata[r][c] / ata[c][c];
      for (let j = c; j < n; j++) ata[r][j] -= m * ata[c][j];
      atb[r] -= m * atb[c];
    }
  }
  return atb.map((v, i) => {
    const x = v / ata[i][i];
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  });
}

export const MixConv2d = handWritten({
  name: 'MixConv2d',
  category: 'conv',
  description: {
    en: 'Mixed depth-wise convolution: channel groups with different kernel sizes, then batch norm and SiLU.',
    zh: '混合深度卷积：不同卷积核大小的通道分组，然后批归一化和 SiLU。',
  },
  parse: 'channels',
  args: [
    ...c1c2,
    {
      name: 'k',
      type: 'ints',
      default: '[1, 3]',
      doc: { en: 'kernel sizes, one per group', zh: '卷积核大小，每组一个' },
    },
    { name: 's', type: 'int', default: '1', doc: { en: 'stride', zh: '步长' } },
    {
      name: 'equal_ch',
      type: 'bool',
      default: 'True',
      doc: { en: 'equal channels per group (else equal weights)', zh: '每组通道数相等（否则每组权重数相等）' },
    },
  ],
  build(s, a, [x]) {
    const ks: number[] = Array.isArray(a.k) ? a.k : [a.k];
    if (!ks.length) throw new BuildError('bad-args', msg('mixconv-no-kernels'));
    const cs = mixChannels(ks.length, a.c2, ks, !!a.equal_ch);
    const m = s.container('m', 'ModuleList');
    const ys = ks.map((k, i) =>
      m.conv2d(String(i), x, {
        cin: a.c1,
        cout: cs[i],
        k,
        s: a.s,
        p: Math.floor(k / 2),
        groups: gcd(a.c1, cs[i]),
        bias: false,
      }),
    );
    let y = s.cat(ys);
    y = s.batchNorm('bn', y, a.c2);
    return s.act('act', y, { type: 'SiLU' });
  },
});
