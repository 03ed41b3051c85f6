// Needs ../shared/reference (REFERENCE_DIR): replacing C3 by C3_Res2Block gives the seed's Res2Net models as YOLOv5 builds them.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { analyzeDoc, command, openDoc, repr } from '../index.ts';
import { configPathFor, describeReference, readSummary } from '../../testing/reference.ts';

const refShape = (s: any): number[] => (Array.isArray(s[0]) ? [s[0][1], s[0][2]] : s.slice(1));

describeReference('replace C3 with C3_Res2Block', () => {
  for (const [base, target] of [
    ['yolov5s', 'yolov5s-res2net'],
    ['yolov5n', 'yolov5n-res2net'],
  ]) {
    it(`${base} becomes ${target}: every layer's from, n, args, params and shape, and the totals, as YOLOv5 v7.0 prints them`, () => {
      const path = configPathFor(base);
      const r = command({ type: 'replaceModule', from: 'C3', to: 'C3_Res2Block' }).perform(
        openDoc(readFileSync(path, 'utf8'), path),
      );
      expect(r.ok).toBe(true);
      const ref = readSummary(target);
      const a = analyzeDoc(r.doc, { imgsz: ref.imgsz });
      expect(a.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(a.layers.length).toBe(ref.layers.length);
      a.layers.forEach((l, k) => {
        const x = ref.layers[k];
        expect({
          i: l.i,
          from: l.from,
          n: l.n,
          params: l.params,
          args: l.args && repr(l.args),
          shape: l.shape,
          module: l.def?.torchPath,
        }).toEqual({
          i: x.i,
          from: x.from,
          n: x.n,
          params: x.params,
          args: x.args,
          shape: refShape(x.shape),
          module: x.module,
        });
      });
      expect(a.params).toBe(ref.params);
      expect(a.modules).toBe(ref.modules);
      expect(a.stride).toEqual(ref.stride);
    });
  }
});
