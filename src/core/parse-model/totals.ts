/** After the rows: the head's place and strides, the input size YOLOv5 would use, and the model's totals. */
import { WorkBudget, type ActSpec, type Shape } from '../graph.ts';
import { msg } from '../messages/index.ts';
import { makeDivisible } from '../py.ts';
import type { Registry } from '../registry.ts';
import { cachedBuild } from './build.ts';
import type { ModelFamily, Report } from './family.ts';
import type { LayerResult } from './types.ts';
import { argToJs } from './values.ts';

export interface Totals {
  params: number;
  modules: number;
  gflops: number;
  stride: number[] | null;
}

/** Says where the head is wrong or missing, probes its strides, and sums parameters, modules and FLOPs. */
export function modelTotals(
  layers: LayerResult[],
  context: {
    family: ModelFamily;
    imgsz: [number, number];
    inputChannels: number;
    defaultAct: ActSpec;
    registry: Registry;
    /** Shared modules met in any layer, counted once. */
    shared: Set<string>;
    /** The file could not be read: no head is not worth saying. */
    fatal: boolean;
    report: Report;
    /** The work the stride probe may do (the whole model once more). */
    budget?: WorkBudget;
  },
): Totals {
  const { family, imgsz, report } = context;
  const heads = layers.filter((l) => l.def && family.isHead(l.def));
  const last = layers[layers.length - 1];
  if (!heads.length && layers.length && !context.fatal)
    report('no-head', 'warning', family.noHeadMessage, last.row.range);
  for (const head of heads) {
    if (head !== last)
      report(
        'head-not-last',
        'error',
        msg('head-not-last', { module: head.def!.name, layer: head.i, family: family.name }),
        head.row.module?.range ?? head.row.range,
        head.i,
      );
  }
  let stride: number[] | null = null;
  if (last?.def && family.isHead(last.def) && last.ok) {
    stride = family.strides(last, () => probeStrides(layers, last, context));
    if (stride && last.detect) last.detect.strides = stride;
    if (stride && stride.every((s) => Number.isFinite(s) && s > 0)) {
      const gs = Math.max(32, Math.max(...stride));
      const rounded = imgsz.map((v) => makeDivisible(v, gs));
      if (rounded.some((v, k) => v !== imgsz[k]))
        report(
          'img-size-rounded',
          'info',
          msg('img-size-rounded', {
            family: family.name,
            from: String(imgsz[0] === imgsz[1] ? imgsz[0] : imgsz.join('x')),
            to: String(rounded[0] === rounded[1] ? rounded[0] : rounded.join('x')),
            stride: gs,
          }),
        );
    }
  }
  return {
    params: layers.reduce((sum, l) => sum + l.params, 0),
    modules: 2 + layers.reduce((sum, l) => sum + l.modules, 0) + context.shared.size,
    gflops: (2 * layers.reduce((sum, l) => sum + l.macs, 0)) / 1e9,
    stride,
  };
}

/** What YOLOv5 does: run a 256x256 probe and divide by each head input's height. */
function probeStrides(
  layers: LayerResult[],
  head: LayerResult,
  context: { inputChannels: number; defaultAct: ActSpec; registry: Registry; budget?: WorkBudget },
): number[] | null {
  const budget = context.budget ?? new WorkBudget();
  const S = 256;
  const shapes: Shape[] = [];
  for (const l of layers) {
    if (l === head) break;
    if (!l.def || !l.args) return null;
    const inputs = [
      ...l.inputs.map((j) => (j === -1 ? [context.inputChannels, S, S] : shapes[j])),
      ...(l.sideInputs ?? []),
    ];
    const b = cachedBuild(
      l.def,
      (l.buildArgs ?? l.args).map(argToJs),
      l.buildRepeats,
      inputs,
      context.defaultAct,
      context.registry,
      budget,
      l.attrs,
    );
    if (b.error) return null;
    shapes.push(b.out.shape);
  }
  return head.inputs.map((j) => S / shapes[j][1]);
}
