/**
 * Ultralytics .pt checkpoints: the YOLO11n parity weights saved as Ultralytics' trainer saves a model (a pickled
 * DetectionModel with its yaml dict, names dict, args and stride; `ema` None) are read by the restricted unpickler,
 * open as YAML at the checkpoint's own scale, and run equal to PyTorch; the CLI takes them for summary and run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkpointYaml, readCheckpoint, type Checkpoint } from '../../core/checkpoint/index.ts';
import { parseModelText } from '../../core/index.ts';
import { runCli } from '../../testing/cli.ts';
import { describeReference, referencePath, ultralyticsConfigPath } from '../../testing/reference.ts';
import { PARITY_NAMES, yolo11nParityCheckpoint } from '../../testing/ultralytics-checkpoint.ts';
import { useNodeBackend } from '../backend-node.ts';
import { planModel } from '../model.ts';
import { loadModel, runTensor } from '../runtime.ts';
import { readSafetensors, toFloat32 } from '../safetensors.ts';
import '../../cli/run.ts';
import '../../cli/summary.ts';

function parityCheckpoint() {
  return { bytes: yolo11nParityCheckpoint(), dir: referencePath('ultralytics', 'parity', 'yolo11n-160') };
}

describeReference('Ultralytics .pt checkpoints', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('read as data: the DetectionModel from ckpt["model"] (ema None), its yaml dict, names dict and weights', () => {
    const { bytes } = parityCheckpoint();
    const cp = readCheckpoint(bytes);
    expect(cp.from).toBe('model');
    expect(cp.className).toBe('ultralytics.nn.tasks.DetectionModel');
    expect(cp.names).toEqual(PARITY_NAMES);
    expect(cp.stride).toEqual([8, 16, 32]);
    expect(cp.config?.scale).toBe('n');
    expect(cp.parameterCount).toBe(2_624_080);
    expect(cp.meta.version).toBe('8.3.253');
    // the architecture as YAML: the Ultralytics family, scale n, yolo11n's parameters
    const text = checkpointYaml(cp, 'yolo11n.pt');
    const src = parseModelText(text, 'yolo11n.pt');
    const plan = planModel(src, { imgsz: 640 });
    expect(plan.analysis.family.id).toBe('ultralytics');
    expect(plan.params).toBe(2_624_080);
  });

  it("opens at the checkpoint's own scale even from a file whose name has none (best.pt)", () => {
    const text = readFileSync(ultralyticsConfigPath('11/yolo11.yaml'), 'utf8');
    const cp = {
      from: 'model',
      className: 'ultralytics.nn.tasks.DetectionModel',
      config: { ...parse(text), scale: 's', yaml_file: 'yolo11s.yaml', channels: 3 },
      parameterCount: 9_458_752,
    } as unknown as Checkpoint;
    const yaml = checkpointYaml(cp, 'best.pt');
    expect(yaml).toMatch(/scales: \{s: /);
    expect(planModel(parseModelText(yaml, 'best.pt'), { imgsz: 640 }).params).toBe(9_458_752);
  });

  it('runs equal to PyTorch (pred within 1e-3) with the architecture and weights it carries', async () => {
    const { bytes, dir } = parityCheckpoint();
    const text = checkpointYaml(readCheckpoint(bytes), 'yolo11n.pt');
    const model = loadModel(parseModelText(text, 'yolo11n.pt'), { imgsz: 160, weights: bytes });
    expect(model.names).toEqual(PARITY_NAMES);
    const ref = readSafetensors(readFileSync(`${dir}/tensors.safetensors`));
    const img = ref.tensors.get('images')!;
    const out = await runTensor(model, { shape: img.shape, data: toFloat32(img) });
    model.dispose();
    const want = toFloat32(ref.tensors.get('pred')!);
    let worst = 0;
    out.pred!.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i])))));
    expect(worst).toBeLessThanOrEqual(1e-3);
  });

  it('summary and run take the .pt as CONFIG (architecture and weights)', async () => {
    const { bytes, dir } = parityCheckpoint();
    const tmp = mkdtempSync(join(tmpdir(), 'ya-ulpt-'));
    const pt = join(tmp, 'yolo11n.pt');
    writeFileSync(pt, bytes);
    const s = await runCli(['summary', pt, '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out).params).toBe(2_624_080);
    const r = await runCli(['run', pt, '--input', `${dir}/tensors.safetensors`, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.weights).toMatch(/loaded/);
    expect(j.outputs.pred).toEqual([1, 84, 525]);
  });
});
