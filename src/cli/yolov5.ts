/**
 * `export CONFIG --yolov5 DIR` and `--ultralytics DIR`: write what "Export for YOLOv5" / "for Ultralytics" produces
 * (core/codegen) into DIR: NAME.yaml, and for modules the framework does not ship its patches (yolov5-v7.0.patch
 * and yolov5-master.patch; ultralytics-8.3.253.patch) and NAME.modules.yaml.
 *
 * What DIR already holds is read first and set against the export by core's planExport (the same plan the app
 * uses): a file with other content is never replaced without --force, a module library there is merged entry
 * by entry (its other modules and comments kept), and a file already the same is not written again.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  exportForUltralytics,
  exportForYolov5,
  formatMessage,
  LIMITS,
  planExport,
  type ExistingExportFile,
  type ExportFile,
  type ExportFileState,
  type ModuleLibrary,
  type Yolov5ExportOptions,
} from '../core/index.ts';
import { UsageError } from './command.ts';

/** The model's name: its file name without .yaml / .yml. */
export const modelName = (configPath: string) => basename(configPath).replace(/\.ya?ml$/i, '');

/**
 * A file already at `path`, as text; null when it is there but not something an export could be the same as
 * (a link, which is never followed, a folder, a file over LIMITS.modelBytes, or bytes that are not UTF-8);
 * undefined when nothing is there.
 */
export function readExisting(path: string): string | null | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile() || st.size > LIMITS.modelBytes) return null;
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a link put there after the lstat is not followed either
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const size = fstatSync(fd).size;
    if (size > LIMITS.modelBytes) return null;
    const buf = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, at));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface Yolov5WriteResult {
  /** Each file of the export: its path in DIR and how it stood (written when new or changed). */
  files: { path: string; state: ExportFileState; written: boolean }[];
  errors: string[];
}

/**
 * Write the export into `dir` (created if missing), each file atomically, only files that are new or (with
 * `force`) changed. Without `force`, any changed file means nothing is written and an error names each one.
 */
export function writeYolov5Export(
  dir: string,
  configPath: string,
  text: string,
  libraries: ModuleLibrary[],
  write: (path: string, text: string) => void,
  opts: Yolov5ExportOptions & { force?: boolean } = {},
): Yolov5WriteResult {
  const r = exportForYolov5(modelName(configPath), text, libraries, opts);
  if (r.errors.length) return { files: [], errors: r.errors.map((m) => formatMessage(m)) };
  return writeFiles(dir, '--yolov5', r.files, write, !!opts.force);
}

/** `export CONFIG --ultralytics DIR`: the YAML (named for the scale), and for modules Ultralytics does not ship the patch. */
export function writeUltralyticsExport(
  dir: string,
  configPath: string,
  text: string,
  libraries: ModuleLibrary[],
  write: (path: string, text: string) => void,
  opts: { scale?: string; force?: boolean } = {},
): Yolov5WriteResult & { notes: string[] } {
  const r = exportForUltralytics(modelName(configPath), text, libraries, opts.scale ? { scale: opts.scale } : {});
  if (r.errors.length) return { files: [], errors: r.errors.map((m) => formatMessage(m)), notes: r.notes };
  return { ...writeFiles(dir, '--ultralytics', r.files, write, !!opts.force), notes: r.notes };
}

/** The files into `dir` (created if missing), as planExport says: new ones, changed ones only with `force`. */
function writeFiles(
  dir: string,
  flag: string,
  exported: ExportFile[],
  write: (path: string, text: string) => void,
  force: boolean,
): Yolov5WriteResult {
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${dir}: not a directory`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    mkdirSync(dir, { recursive: true });
  }
  const existing: ExistingExportFile[] = [];
  for (const f of exported) {
    const t = readExisting(join(dir, f.path));
    if (t !== undefined) existing.push({ path: f.path, text: t });
  }
  const plan = planExport(exported, existing);
  const changed = plan.filter((f) => f.state === 'changed');
  if (changed.length && !force)
    return {
      files: plan.map((f) => ({ path: join(dir, f.path), state: f.state, written: false })),
      errors: changed.map(
        (f) =>
          `${join(dir, f.path)} is already there with other content; nothing written (--force replaces it${f.path.endsWith('.modules.yaml') ? ', keeping the modules and comments of it the export does not write' : ''})`,
      ),
    };
  const files: Yolov5WriteResult['files'] = [];
  for (const f of plan) {
    const p = join(dir, f.path);
    if (f.state !== 'unchanged') write(p, f.text);
    files.push({ path: p, state: f.state, written: f.state !== 'unchanged' });
  }
  return { files, errors: [] };
}
