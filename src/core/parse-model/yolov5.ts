/**
 * YOLOv5 v7.0's parse_model (models/yolo.py) as a model family: the header it reads (nc, depth_multiple,
 * width_multiple, anchors, and the optional activation, channel_multiple and ch), its depth gain, and how
 * it resolves a row's arguments and output channels by the module's rule.
 */
import type { ModelSource } from '../document.ts';
import type { ActSpec, ModuleDef, Shape } from '../graph.ts';
import { msg } from '../messages/index.ts';
import { evalPy } from '../pyexpr.ts';
import { PyFloat, isInt, isPyModule, makeDivisible, num, pyRound, repr, truthy, type Py } from '../py.ts';
import type { HeadOutputs, ModelFamily, ModelHeader, Report, Resolution, RowContext } from './family.ts';
import { actFromModule, HEADER_MAX, inRange } from './values.ts';
import { BUILTIN_MODULES } from '../modules/index.ts';

function readHeader(src: ModelSource, report: Report, fatal: boolean): ModelHeader {
  const h = src.header;
  const need = (key: 'nc' | 'depth_multiple' | 'width_multiple' | 'anchors') => {
    if (!h[key] && !fatal) report('missing-key', 'error', msg('missing-key', { key }));
  };
  need('nc');
  need('depth_multiple');
  need('width_multiple');
  need('anchors');
  if (!fatal)
    for (const section of ['backbone', 'head'] as const)
      if (!src.sections[section]) report('missing-section', 'error', msg('missing-section', { section }));

  const positiveNumber = (key: 'depth_multiple' | 'width_multiple', fallback: number): number => {
    const v = h[key];
    if (!v) return fallback;
    const x = num(v.value);
    if (x === undefined || !(x > 0) || x > 100) {
      report('bad-value', 'error', msg('bad-multiple', { key, got: repr(v.value) }), v.range);
      return fallback;
    }
    return x;
  };
  const depthMultiple = positiveNumber('depth_multiple', 1);
  const widthMultiple = positiveNumber('width_multiple', 1);

  let nc: number | null = null;
  if (h.nc) {
    if (inRange(h.nc.value, HEADER_MAX.nc)) nc = h.nc.value;
    else
      report('bad-value', 'error', msg('nc-out-of-range', { max: HEADER_MAX.nc, got: repr(h.nc.value) }), h.nc.range);
  }
  let inputChannels = 3;
  if (h.ch) {
    if (inRange(h.ch.value, HEADER_MAX.channels)) inputChannels = h.ch.value;
    else {
      const problem = msg('ch-out-of-range', { key: 'ch', max: HEADER_MAX.channels, got: repr(h.ch.value) });
      report('bad-value', 'error', problem, h.ch.range);
    }
  }
  let channelMultiple = 8;
  if (h.channel_multiple && truthy(h.channel_multiple.value)) {
    const v = h.channel_multiple.value;
    if (inRange(v, HEADER_MAX.channelMultiple)) channelMultiple = v;
    else {
      const problem = msg('channel-multiple-out-of-range', { max: HEADER_MAX.channelMultiple, got: repr(v) });
      report('bad-value', 'error', problem, h.channel_multiple.range);
    }
  }
  let defaultAct: ActSpec = { type: 'SiLU' };
  if (h.activation && truthy(h.activation.value)) {
    const v = h.activation.value;
    let act: ActSpec | undefined;
    if (typeof v === 'string') {
      try {
        const m = evalPy(v);
        act = isPyModule(m) ? actFromModule(m) : undefined;
      } catch {
        /* said below */
      }
    }
    if (act) defaultAct = act;
    else report('bad-activation', 'error', msg('bad-activation', { got: repr(v) }), h.activation.range);
  }
  let na: number | null = null;
  let anchors: Py = h.anchors?.value ?? null;
  if (h.anchors) {
    const a = h.anchors.value;
    if (isInt(a) && a >= 1 && a <= 100) na = a;
    else if (Array.isArray(a) && a.length && Array.isArray(a[0]) && a[0].length >= 2) {
      const perLevel = a[0].length;
      na = Math.floor(perLevel / 2);
      const even = a.every(
        (level) => Array.isArray(level) && level.length === perLevel && level.every((x) => num(x) !== undefined),
      );
      if (!even || perLevel % 2) report('bad-anchors', 'error', msg('anchors-uneven'), h.anchors.range);
    } else {
      report('bad-anchors', 'error', msg('anchors-not-a-list', { got: repr(a) }), h.anchors.range);
      anchors = null;
    }
  }
  const no = na !== null && nc !== null ? na * (nc + 5) : null;
  return { nc, depthMultiple, widthMultiple, channelMultiple, inputChannels, anchors, na, no, defaultAct };
}

/** parse_model's `if m in {...}` branches: the resolved arguments and the output channels (ch[i]). */
function resolve(row: RowContext): Resolution {
  const { def, args, header, ranges } = row;
  const failed = (c2: number | null = null): Resolution => ({ ok: false, c2 });
  /** Resolved arguments that stand where the YAML writes them, built n times. */
  const asWritten = (resolved: Py[], c2: number | null): Extract<Resolution, { ok: true }> => ({
    ok: true,
    args: resolved,
    c2,
    buildRepeats: row.n,
    yamlIndex: (k) => k,
    addsInputChannels: false,
  });
  /** c1 = ch[f] for a module that reads one layer. */
  const inputChannels = (): number | null => {
    if (row.inputs.length !== 1 || Array.isArray(row.from)) {
      if (Array.isArray(row.from) && row.from.length === 1) return row.channels(row.from[0]);
      row.error(
        'needs-one-input',
        msg('needs-one-input', { module: def.name, inputs: row.inputs.length }),
        ranges.from,
      );
      return null;
    }
    return row.channels(row.fromList[0]);
  };
  switch (def.parse) {
    case 'channels':
    case 'channelsRepeat': {
      const c1 = inputChannels();
      if (c1 === null) return failed();
      if (!args.length) {
        const example = def.name === 'Conv' ? '64, 3, 2' : '128';
        row.error('missing-arg', msg('needs-out-channels', { module: def.name, example }), ranges.args);
        return failed();
      }
      const written = num(args[0]);
      if (written === undefined || typeof args[0] === 'boolean') {
        row.error(
          'bad-arg-type',
          msg('out-channels-not-number', { module: def.name, got: repr(args[0]) }),
          ranges.argItems[0],
        );
        return failed();
      }
      const c2 =
        written !== header.no ? makeDivisible(written * header.widthMultiple, header.channelMultiple) : written;
      const resolved = [c1, c2, ...args.slice(1)];
      if (def.parse === 'channels')
        return { ...asWritten(resolved, c2), yamlIndex: (k) => (k === 0 ? undefined : k - 1), addsInputChannels: true };
      // the C3 family: n goes in as the third argument and the layer is built once
      resolved.splice(2, 0, row.n);
      return {
        ok: true,
        args: resolved,
        c2,
        buildRepeats: 1,
        yamlIndex: (k) => (k === 0 || k === 2 ? undefined : k < 2 ? k - 1 : k - 2),
        addsInputChannels: true,
      };
    }
    case 'batchNorm': {
      const c1 = inputChannels();
      return asWritten([c1], c1);
    }
    case 'concat': {
      if (!Array.isArray(row.from)) {
        // sum(ch[x] for x in f) over an int fails in YOLOv5
        row.error('concat-needs-list', msg('concat-needs-list', { from: String(row.from) }), ranges.from);
        return failed();
      }
      return asWritten(
        args,
        row.fromList.reduce((sum, j) => sum + row.channels(j), 0),
      );
    }
    case 'detect': {
      if (!Array.isArray(row.from)) {
        row.error('detect-needs-list', msg('detect-needs-list', { module: def.name }), ranges.from);
        return failed();
      }
      const f = row.fromList;
      const resolved = [...args, f.map((j) => row.channels(j))];
      if (args.length < 2) {
        row.error(
          'missing-arg',
          msg('detect-needs-args', { module: def.name, segment: def.name === 'Segment' }),
          ranges.args,
        );
        return failed(row.lastC2);
      }
      // anchors given as a count: that many placeholder anchors per level
      if (isInt(resolved[1]))
        resolved[1] = new Array(f.length).fill(Array.from({ length: (resolved[1] as number) * 2 }, (_, k) => k));
      if (def.name === 'Segment') {
        if (args.length < 4) {
          row.error('missing-arg', msg('segment-needs-args'), ranges.args);
          return failed(row.lastC2);
        }
        const npr = num(resolved[3]);
        if (npr === undefined)
          row.error('bad-arg-type', msg('segment-npr-not-number', { got: repr(resolved[3]) }), ranges.argItems[3]);
        else resolved[3] = makeDivisible(npr * header.widthMultiple, header.channelMultiple);
      }
      // parse_model leaves c2 as it was
      return asWritten(resolved, row.lastC2);
    }
    case 'contract':
    case 'expand': {
      const c1 = inputChannels();
      const gain = num(args[0]);
      if (c1 === null || gain === undefined || !isInt(gain) || gain < 1) {
        if (c1 !== null) row.error('missing-arg', msg('needs-gain', { module: def.name }), ranges.args);
        return failed();
      }
      return asWritten(args, def.parse === 'contract' ? c1 * gain ** 2 : Math.floor(c1 / gain ** 2));
    }
    default:
      return asWritten(args, inputChannels());
  }
}

/** Detect/Segment's outputs: per level [na, h, w, nc + 5 + nm]; Segment's prototypes at twice the first level's size. */
function headOutputs(def: ModuleDef, args: Py[], inputs: Shape[], header: ModelHeader): HeadOutputs | undefined {
  if (header.nc === null) return undefined;
  const nm = def.name === 'Segment' ? (num(args[2]) ?? 0) : 0;
  const anchors = args[1] as Py[][];
  const perLevel = (anchors[0]?.length ?? 0) / 2;
  const out: HeadOutputs = {
    levels: inputs.slice(0, anchors.length).map((s) => [perLevel, s[1], s[2], header.nc! + 5 + nm]),
  };
  if (def.name === 'Segment') out.proto = [nm, inputs[0][1] * 2, inputs[0][2] * 2];
  return out;
}

export const yolov5Family: ModelFamily = {
  id: 'yolov5',
  name: 'YOLOv5',
  release: 'v7.0',
  modules: () => BUILTIN_MODULES,
  headerKeys: ['nc', 'depth_multiple', 'width_multiple', 'anchors', 'activation', 'channel_multiple', 'ch'],
  readHeader,
  argScope: (header, row) => ({
    nc: header.nc,
    anchors: header.anchors,
    na: header.na,
    no: header.no,
    gd: new PyFloat(header.depthMultiple),
    gw: new PyFloat(header.widthMultiple),
    ch_mul: header.channelMultiple,
    i: row.i,
    n: row.n,
    f: row.from as Py,
  }),
  repeats: (n, header) => (n > 1 ? Math.max(pyRound(n * header.depthMultiple), 1) : n),
  resolve,
  isHead: (def) => def.parse === 'detect',
  headOutputs,
  noHeadMessage: msg('no-head'),
  // parse_model eval()s the name: nn.X and torch.nn.X both work, a bare torch class name does not
  moduleProblem: (written, def) =>
    written !== def.name && written !== `torch.${def.name}`
      ? { severity: 'warning', message: msg('module-spelling', { name: def.name }) }
      : undefined,
  unknownModule: (name, hint, generated) =>
    hint
      ? msg('unknown-module-hint', { name, hint, generated: generated.join(', ') })
      : msg('unknown-module', { name, generated: generated.join(', ') }),
  strides: (_last, probe) => probe(),
};
