/**
 * The one way tests reach the golden data in ../shared/reference (figures and tensors from YOLOv5's own
 * PyTorch code). REFERENCE_DIR overrides the location. Tests that need it use `describeReference`:
 * skipped when the data is absent, failing when CI is set (CI must always have it).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { REFERENCE_DIR, SHARED_DIR, hasReference, referencePath } from './reference-paths.ts';

export { PROJECT_DIR, REFERENCE_DIR, SHARED_DIR, hasReference, referencePath } from './reference-paths.ts';

export function describeReference(name: string, fn: () => void) {
  if (!hasReference && process.env.CI) {
    describe(name, () => {
      throw new Error(`reference data not found at ${REFERENCE_DIR} (set REFERENCE_DIR); CI needs it`);
    });
    return;
  }
  if (hasReference) describe(name, fn);
  else describe.skip(name, () => it.skip(`needs ${REFERENCE_DIR}`, () => {}));
}

export const sharedPath = (...parts: string[]) => join(SHARED_DIR, ...parts);
export const readReference = (...parts: string[]) => readFileSync(referencePath(...parts), 'utf8');

/** The 28 shipped configs, by name (yolov5s, ...). */
export function shippedConfigNames(): string[] {
  return readdirSync(referencePath('configs', 'ultralytics'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Path of the config a summary was made from. */
export function configPathFor(name: string): string {
  const shipped = referencePath('configs', 'ultralytics', `${name}.yaml`);
  if (existsSync(shipped)) return shipped;
  const extra = referencePath('configs', `${name}.yaml`);
  if (existsSync(extra)) return extra;
  return sharedPath('seed', `${name}.yaml`);
}

export interface ReferenceSummary {
  config: string;
  imgsz: number;
  params: number;
  modules: number;
  stride: number[];
  gflops: number;
  layers: {
    i: number;
    from: number | number[];
    n: number;
    params: number;
    module: string;
    args: string;
    shape: unknown;
  }[];
}

export function summaryNames(): string[] {
  return readdirSync(referencePath('summaries'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
export const readSummary = (name: string): ReferenceSummary => JSON.parse(readReference('summaries', `${name}.json`));

/**
 * Ultralytics 8.3.253's ground truth (reference/ultralytics/): the public summaries (YOLOv8 and YOLO11 at every
 * scale) by the model's name (yolo11n-seg), and the official configs by their place (11/yolo11-seg.yaml).
 */
export interface UltralyticsSummary extends ReferenceSummary {
  /** The config it was built from, under configs/: '11/yolo11-seg.yaml'. */
  yaml: string;
  scale: string;
  head: string;
}

export function ultralyticsSummaryNames(): string[] {
  return readdirSync(referencePath('ultralytics', 'summaries'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}
export const readUltralyticsSummary = (name: string): UltralyticsSummary =>
  JSON.parse(readReference('ultralytics', 'summaries', `${name}.json`));
export const ultralyticsConfigPath = (yaml: string) => referencePath('ultralytics', 'configs', ...yaml.split('/'));

/** Every official Ultralytics config, as its place under configs/ ('v8/yolov8-p2.yaml'). */
export function ultralyticsConfigs(): string[] {
  const root = referencePath('ultralytics', 'configs');
  return readdirSync(root)
    .flatMap((dir) => readdirSync(join(root, dir)).map((f) => `${dir}/${f}`))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}
