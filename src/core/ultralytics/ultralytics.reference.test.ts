// Needs ../shared/reference/ultralytics (REFERENCE_DIR): the public summaries Ultralytics 8.3.253 printed for
// YOLOv8 and YOLO11 at every scale, compared through the CLI on a copy of the config named as Ultralytics names
// the model (yolo11n-seg.yaml is 11/yolo11-seg.yaml at scale n).
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { evalPy } from '../pyexpr.ts';
import { toJson } from '../py.ts';
import { parseModelText } from '../document.ts';
import { analyze } from '../propagate.ts';
import { buildAnalyzedLayer } from '../parse-model/build.ts';
import { runCli } from '../../testing/cli.ts';
import {
  PROJECT_DIR,
  describeReference,
  readUltralyticsSummary,
  ultralyticsConfigPath,
  ultralyticsConfigs,
  ultralyticsSummaryNames,
} from '../../testing/reference.ts';

/** The reference's eval output of a layer without the batch: a head's first output. */
const refShape = (s: any): number[] => (Array.isArray(s[0]) ? s[0].slice(1) : s.slice(1));
/** 'ultralytics.nn.modules.block.C3k2' and 'nn.Upsample' name the same class. */
const className = (m: string) => m.slice(m.lastIndexOf('.') + 1);

describeReference('every public Ultralytics summary, layer by layer and in total (8.3.253)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ya-ultra-'));
  it('has the 50 public summaries (YOLOv8 and YOLO11: detect, seg, pose, obb, cls at n, s, m, l, x)', () =>
    expect(ultralyticsSummaryNames().length).toBe(50));
  for (const name of ultralyticsSummaryNames()) {
    it(`${name}: from, n, params, resolved args, module, shape per layer; params, modules, GFLOPs, strides`, async () => {
      const ref = readUltralyticsSummary(name);
      const file = join(dir, `${name}.yaml`);
      copyFileSync(ultralyticsConfigPath(ref.yaml), file);
      const r = await runCli(['summary', file, '--img', String(ref.imgsz), '--json']);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.family).toBe('ultralytics');
      expect(j.scale.name).toBe(ref.scale);
      expect(j.diagnostics.filter((d: { severity: string }) => d.severity !== 'info')).toEqual([]);
      expect(j.layers.length).toBe(ref.layers.length);
      j.layers.forEach((l: any, k: number) => {
        const want = ref.layers[k];
        expect({ ...l, module: className(l.module) }).toEqual({
          i: want.i,
          from: want.from,
          n: want.n,
          params: want.params,
          module: className(want.module),
          args: toJson(evalPy(want.args)),
          shape: refShape(want.shape),
        });
      });
      expect(j.params).toBe(ref.params);
      expect(j.modules).toBe(ref.modules);
      expect(Math.abs(j.gflops - ref.gflops) / ref.gflops).toBeLessThan(0.005);
      expect(j.stride).toEqual(ref.stride);
    });
  }
});

describeReference('every official Ultralytics 8.3.253 config reads without an error, at every scale', () => {
  for (const yaml of ultralyticsConfigs()) {
    it(`${yaml}`, () => {
      const text = readFileSync(ultralyticsConfigPath(yaml), 'utf8');
      const src = parseModelText(text, yaml.split('/')[1]);
      const first = analyze(src, { imgsz: 640 });
      expect(first.family.id).toBe('ultralytics');
      for (const scale of first.scale?.scales.length ? first.scale.scales : [undefined]) {
        const a = scale ? analyze(src, { imgsz: 640, scale }) : first;
        const problems = a.diagnostics.filter((d) => d.severity !== 'info');
        // the torchvision backbones say where their weights come from; nothing else is said
        expect(problems.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
        expect(a.params).toBeGreaterThan(0);
        expect(a.stride?.length).toBeGreaterThan(0);
        expect(a.layers.every((l) => l.ok)).toBe(true);
      }
    });
  }
});

describeReference('our YOLOv8 and YOLO11 templates give Ultralytics figures at every scale', () => {
  for (const family of ['yolov8', 'yolo11'])
    for (const task of ['', '-seg', '-pose', '-obb', '-cls']) {
      it(`${family}${task}: parameters, modules, GFLOPs and strides of ${family}{n,s,m,l,x}${task}`, () => {
        const text = readFileSync(join(PROJECT_DIR, 'configs', 'ultralytics', `${family}${task}.yaml`), 'utf8');
        for (const scale of ['n', 's', 'm', 'l', 'x']) {
          const name = `${family}${scale}${task}`;
          const ref = readUltralyticsSummary(name);
          const a = analyze(parseModelText(text, `${name}.yaml`), { imgsz: ref.imgsz });
          expect(a.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
          expect([a.scale?.name, a.params, a.modules, a.stride]).toEqual([scale, ref.params, ref.modules, ref.stride]);
          expect(Math.abs(a.gflops - ref.gflops) / ref.gflops).toBeLessThan(0.005);
        }
      });
    }
});

describeReference(
  "activation: nn.ReLU() is Conv.default_act, one instance shared, as Ultralytics' parse_model sets it",
  () => {
    // Measured with Ultralytics 8.3.253 itself (its tasks.py DetectionModel / RTDETRDetectionModel on these configs,
    // with and without `activation: nn.ReLU()`, under torch 1.13): the same parameters and modules either way, since
    // the activation replaces one shared instance by another (RepConv and ConvTranspose keep their own SiLU).
    const MEASURED: [string, string, number, number][] = [
      ['11/yolo11.yaml', 'yolo11n.yaml', 2624080, 319],
      ['v8/yolov8.yaml', 'yolov8n.yaml', 3157200, 225],
      ['v9/yolov9c.yaml', 'yolov9c.yaml', 25590912, 618],
      ['rt-detr/rtdetr-l.yaml', 'rtdetr-l.yaml', 32970476, 689],
      ['v10/yolov10n.yaml', 'yolov10n.yaml', 2775520, 385],
    ];
    /** The activations the ops of the layers of a module apply, by type. */
    const acts = (a: ReturnType<typeof analyze>, module: string) => {
      const types = new Set<string>();
      for (const l of a.layers)
        if (l.def?.name === module)
          for (const op of buildAnalyzedLayer(a, l.i)?.ops ?? []) if (op.kind === 'act') types.add(op.act.type);
      return [...types].sort();
    };
    for (const [yaml, name, params, modules] of MEASURED)
      it(`${name}: ${params} parameters and ${modules} modules with and without it; Convs apply ReLU`, () => {
        const text = readFileSync(ultralyticsConfigPath(yaml), 'utf8');
        const plain = analyze(parseModelText(text, name));
        const relu = analyze(parseModelText(`${text}\nactivation: nn.ReLU()\n`, name));
        expect(relu.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        expect([plain.params, plain.modules]).toEqual([params, modules]);
        expect([relu.params, relu.modules]).toEqual([params, modules]);
        expect([acts(plain, 'Conv'), acts(relu, 'Conv')]).toEqual([['SiLU'], ['ReLU']]);
        // RepConv (inside yolov9c's RepNCSPELAN4 and RT-DETR's RepC3) keeps its own default, SiLU
        const rep = ({ 'yolov9c.yaml': 'RepNCSPELAN4', 'rtdetr-l.yaml': 'RepC3' } as Record<string, string>)[name];
        if (rep) expect(acts(relu, rep)).toEqual(['ReLU', 'SiLU']);
      });
  },
);
