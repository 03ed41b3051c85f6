/**
 * `export CONFIG --yolov5 DIR`: write what "Export for YOLOv5" produces (core/codegen) into DIR: NAME.yaml,
 * and for modules YOLOv5 does not ship yolov5-v7.0.patch, yolov5-master.patch and NAME.modules.yaml.
 */
import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exportForYolov5, type ModuleLibrary, type Yolov5ExportOptions } from '../core/index.ts';
import { UsageError } from './main.ts';

/** The model's name: its file name without .yaml / .yml. */
export const modelName = (configPath: string) => basename(configPath).replace(/\.ya?ml$/i, '');

/** Write the export into `dir` (created if missing), each file atomically. Returns the paths, or the errors (nothing written). */
export function writeYolov5Export(
  dir: string,
  configPath: string,
  text: string,
  libraries: ModuleLibrary[],
  write: (path: string, text: string) => void,
  opts: Yolov5ExportOptions = {},
): { written: string[]; errors: string[] } {
  const r = exportForYolov5(modelName(configPath), text, libraries, opts);
  if (r.errors.length) return { written: [], errors: r.errors };
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--yolov5 ${dir}: not a directory`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    mkdirSync(dir, { recursive: true });
  }
  const written: string[] = [];
  for (const f of r.files) {
    const p = join(dir, f.path);
    write(p, f.text);
    written.push(p);
  }
  return { written, errors: [] };
}
