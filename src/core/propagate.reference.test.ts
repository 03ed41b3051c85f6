// Needs ../shared/reference (REFERENCE_DIR): the 30 per-layer summaries YOLOv5's own code printed.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { analyze, parseModelText, repr } from './index.ts';
import { configPathFor, describeReference, readSummary, summaryNames } from '../testing/reference.ts';

const refShape = (s: any): number[] => (Array.isArray(s[0]) ? [s[0][1], s[0][2]] : s.slice(1));

describeReference('every layer and total matches YOLOv5 v7.0 (reference summaries)', () => {
  it('has all 30 summaries', () => expect(summaryNames().length).toBe(30));
  for (const name of summaryNames()) {
    it(`${name}: from, n, params, resolved args, shape per layer; params, modules, GFLOPs, strides`, () => {
      const ref = readSummary(name);
      const path = configPathFor(name);
      const a = analyze(parseModelText(readFileSync(path, 'utf8'), path), { imgsz: ref.imgsz });
      expect(a.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(a.layers.length).toBe(ref.layers.length);
      a.layers.forEach((l, k) => {
        const r = ref.layers[k];
        const got = {
          i: l.i,
          from: l.from,
          n: l.n,
          params: l.params,
          args: l.args && repr(l.args),
          shape: l.shape,
          module: l.def?.torchPath,
        };
        expect(got).toEqual({
          i: r.i,
          from: r.from,
          n: r.n,
          params: r.params,
          args: r.args,
          shape: refShape(r.shape),
          module: r.module,
        });
      });
      expect(a.params).toBe(ref.params);
      expect(a.modules).toBe(ref.modules);
      expect(Math.abs(a.gflops - ref.gflops) / ref.gflops).toBeLessThan(0.005);
      expect(a.stride).toEqual(ref.stride);
    });
  }
});
