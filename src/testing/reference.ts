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
