/**
 * `yolo-architect run CONFIG [--weights W.safetensors] (--image IMG | --input T.safetensors) [--img 640]
 *  [--output OUT.safetensors] [--backend wasm|cpu] [--conf 0.25] [--iou 0.45 YOLOv5, 0.7 Ultralytics] [--json]
 *  [--names a,b,c] [--rect] [--timing] [--transfer] [--seed N] [--masks rle|polygon]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LIMITS } from '../core/limits.ts';
import { parseBytes } from '../runtime/memory.ts';
import { PREDICT_DEFAULTS } from '../runtime/predict-defaults.ts';
import type { LoadedModel, NamedDetection } from '../runtime/runtime.ts';
import type { TensorToWrite } from '../runtime/safetensors.ts';
import type { ForwardOutput } from '../runtime/network.ts';
import { intFlag, limitFlags, numFlag, parseArgs } from './args.ts';
import { checkpointWeights, loadConfig } from './load.ts';
import { UsageError } from './command.ts';

const { yolov5 } = PREDICT_DEFAULTS;

export async function runCommand(argv: string[], help: string): Promise<number> {
  const { positional, flags } = parseArgs(
    argv,
    {
      weights: 'string',
      image: 'string',
      input: 'string',
      img: 'string',
      output: 'string',
      backend: 'string',
      conf: 'string',
      iou: 'string',
      json: 'boolean',
      names: 'string',
      rect: 'boolean',
      timing: 'boolean',
      transfer: 'boolean',
      seed: 'string',
      masks: 'string',
      'max-memory': 'string',
      limit: 'list',
      help: 'boolean',
    },
    { '-h': 'help' },
  );
  if (flags.help) {
    process.stdout.write(`usage: yolo-architect ${help}\n`);
    return 0;
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? 'give exactly one CONFIG' : 'no CONFIG given');
  // TensorFlow.js loads only when a model runs (the other commands and --help start without it)
  const masksAs = (flags.masks as string | undefined) ?? 'rle';
  if (masksAs !== 'rle' && masksAs !== 'polygon')
    throw new UsageError(`--masks must be rle or polygon, got ${masksAs}`);
  const [
    { useNodeBackend },
    { readImage },
    { detectionsFrom, loadModel, runImage, runTensor },
    st,
    { ulTopClasses },
    { rleDecode },
    { maskPolygons },
  ] = await Promise.all([
    import('../runtime/backend-node.ts'),
    import('../runtime/image-node.ts'),
    import('../runtime/runtime.ts'),
    import('../runtime/safetensors.ts'),
    import('../runtime/ultralytics/predict.ts'),
    import('../runtime/ultralytics/masks.ts'),
    import('../runtime/ultralytics/polygons.ts'),
  ]);
  const { readSafetensors, toFloat32, writeSafetensors } = st;
  const image = flags.image as string | undefined;
  const input = flags.input as string | undefined;
  if (!image === !input) throw new UsageError('give either --image IMG or --input T.safetensors');
  const backend = (flags.backend as string | undefined) ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got ${backend}`);
  const conf = numFlag(flags.conf, 'conf', yolov5.conf);
  // each head's own default when not given (PREDICT_DEFAULTS: YOLOv5 0.45, Ultralytics 0.7)
  const iou = flags.iou === undefined ? undefined : numFlag(flags.iou, 'iou', yolov5.iou);
  const seed = intFlag(flags.seed, 'seed', 0, 0, 2 ** 31);
  let imgsz: [number, number] = [intFlag(flags.img, 'img', 640), intFlag(flags.img, 'img', 640)];
  const names = typeof flags.names === 'string' ? flags.names.split(',').map((s) => s.trim()) : undefined;
  const maxMemory = flags['max-memory'] === undefined ? LIMITS.runMemory : parseBytes(flags['max-memory'] as string);
  const limits = limitFlags(flags.limit);
  if (maxMemory === undefined)
    throw new UsageError(`--max-memory takes a size such as 4GiB or 512MiB, got ${String(flags['max-memory'])}`);

  // the input tensor decides the size
  let images: { shape: number[]; data: Float32Array } | undefined;
  if (input) {
    const f = readSafetensors(readBytes(input));
    const t = f.tensors.get('images');
    if (!t) throw new UsageError(`${input} has no tensor named 'images' (NCHW float32, values 0 to 1)`);
    if (t.shape.length !== 4 || t.shape[0] !== 1)
      throw new UsageError(`${input}: 'images' must be [1, C, H, W], got [${t.shape}]`);
    images = { shape: t.shape, data: toFloat32(t) };
    imgsz = [t.shape[2], t.shape[3]];
  }
  const src = loadConfig(positional[0]);
  const used = await useNodeBackend(backend);
  let model: LoadedModel;
  try {
    model = loadModel(src, {
      imgsz,
      weights: flags.weights ? readBytes(flags.weights as string) : checkpointWeights(src),
      mode: flags.transfer ? 'transfer' : 'strict',
      seed,
      names,
      maxMemory,
      limits,
    });
  } catch (e) {
    process.stderr.write(`yolo-architect run: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const opts = { layers: false, raw: true, timing: !!flags.timing };
    let output: ForwardOutput;
    let detections: NamedDetection[];
    let ms: number;
    // per-layer times of a second run: the first one also creates the backend's kernels
    if (opts.timing) {
      const ch = model.plan.analysis.inputChannels;
      await runTensor(
        model,
        { shape: [1, ch, imgsz[0], imgsz[1]], data: new Float32Array(ch * imgsz[0] * imgsz[1]) },
        { raw: false },
      );
    }
    if (images) {
      const t0 = performance.now();
      output = await runTensor(model, images, opts);
      detections = detectionsFrom(model, output, { conf, iou }).map((d) => ({ ...d, name: model.names?.[d.class] }));
      ms = performance.now() - t0;
    } else {
      const r = await runImage(model, readImage(image!), { ...opts, size: imgsz, auto: !!flags.rect, conf, iou });
      output = r.output;
      detections = r.detections;
      ms = r.ms;
    }
    if (flags.output) {
      const ts: Record<string, TensorToWrite> = {};
      if (output.pred) ts.pred = output.pred;
      output.raw.forEach((r, k) => (ts[`raw.${k}`] = r));
      if (output.proto) ts.proto = output.proto;
      if (output.extra) ts[output.extra.name] = output.extra.data;
      writeFileSync(flags.output as string, writeSafetensors(ts, { layout: 'NCHW', backend: used }));
    }
    const outputs: Record<string, number[]> = {};
    if (output.pred) outputs.pred = output.pred.shape;
    output.raw.forEach((r, k) => (outputs[`raw.${k}`] = r.shape));
    if (output.proto) outputs.proto = output.proto.shape;
    if (output.extra) outputs[output.extra.name] = output.extra.data.shape;
    const dets = detections.map((d) => ({
      class: d.class,
      name: d.name ?? null,
      confidence: round(d.confidence, 4),
      xyxy: d.xyxy.map((v) => round(v, 1)),
      ...(d.obb
        ? {
            xywhr: d.obb.xywhr.map((v, k) => round(v, k < 4 ? 1 : 4)),
            corners: d.obb.corners.map((c) => c.map((v) => round(v, 1))),
          }
        : {}),
      ...(d.keypoints ? { keypoints: d.keypoints.map((k) => k.map((v, i) => round(v, i < 2 ? 1 : 4))) } : {}),
      // a mask as COCO RLE, or as the outline of each of its regions (image pixels, pixel x spans [x, x + 1])
      ...(d.mask
        ? masksAs === 'rle'
          ? { mask: d.mask }
          : { polygons: maskPolygons(rleDecode(d.mask), d.mask.size[0], d.mask.size[1]) }
        : {}),
    }));
    // a classifier: its class probabilities, best first (Results.probs.top5)
    const af = model.plan.anchorFree;
    const probs =
      af?.task === 'classify' && output.pred
        ? ulTopClasses(output.pred.data, 5).map((c) => ({
            class: c.class,
            name: model.names?.[c.class] ?? null,
            confidence: round(c.confidence, 4),
          }))
        : undefined;
    if (flags.json) {
      const j: Record<string, unknown> = {
        backend: used,
        ms: round(ms, 1),
        weights: model.weights.summary,
        outputs,
        detections: dets,
        ...(probs ? { probs } : {}),
      };
      if (output.timings) j.timings = output.timings.map((t) => ({ ...t, ms: round(t.ms, 3) }));
      process.stdout.write(`${JSON.stringify(j, null, 1)}\n`);
    } else {
      const lines = [
        `backend ${used}, ${ms.toFixed(1)} ms (forward ${output.ms.toFixed(1)} ms); weights: ${model.weights.summary}`,
      ];
      for (const [k, s] of Object.entries(outputs)) lines.push(`${k.padEnd(8)} [${s.join(', ')}]`);
      if (output.timings)
        for (const t of output.timings)
          lines.push(`  layer ${String(t.i).padStart(3)} ${t.module.padEnd(16)} ${t.ms.toFixed(2).padStart(9)} ms`);
      if (probs)
        for (const p of probs)
          lines.push(`  ${String(p.class).padStart(3)} ${(p.name ?? '').padEnd(12)} ${p.confidence.toFixed(4)}`);
      lines.push(
        `${dets.length} detection${dets.length === 1 ? '' : 's'}${dets.length ? ' (class, confidence, x1 y1 x2 y2)' : ''}`,
      );
      for (const d of dets)
        lines.push(
          `  ${String(d.class).padStart(3)} ${(d.name ?? '').padEnd(12)} ${d.confidence.toFixed(4)}  ${d.xyxy.map((v) => v.toFixed(1)).join(' ')}`,
        );
      if (flags.output) lines.push(`wrote ${flags.output}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    model.dispose();
  }
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}
