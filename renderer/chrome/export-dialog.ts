/**
 * Export for YOLOv5 (or for Ultralytics, for an Ultralytics model) as a dialog: the files it will write (computed
 * first, shown with their sizes), where to write them (a folder the user picks, or one zip), then what was written
 * and the exact commands to run in the framework's checkout.
 */
import { create } from 'zustand';
import { errorMessage, msg, type ExportFile, type Message } from '../../src/core/index.ts';
import { getHost } from '../host/index.ts';
import type { ExportTarget, ExportWritten } from '../host/types.ts';
import { editorStore } from '../store/editor.ts';
import { prepareExport } from '../modules/actions.ts';
import { confirmOverwrites } from '../overwrite/plan.ts';

export interface ExportDialogState {
  /** The framework exported for: the open model's. */
  family: 'yolov5' | 'ultralytics';
  stem: string;
  /** The model YAML's file name among the files (an Ultralytics export names it for the chosen scale). */
  model: string;
  /** What to know about the files (the scale Ultralytics reads from the name). */
  notes: string[];
  /** The folder's name (and the zip's, without .zip). */
  folder: string;
  files: ExportFile[];
  targets: ExportTarget[];
  written: ExportWritten | null;
  busy: boolean;
  error: Message | null;
}

export const useExportDialog = create<{ dialog: ExportDialogState | null }>(() => ({ dialog: null }));

/** Compute the export and show it; a model with errors says why in the toast instead. */
export function openYolov5Export() {
  const r = prepareExport();
  if ('error' in r) {
    const family = editorStore.getState().analysis.family.name;
    editorStore.getState().notify(msg('toast.export-failed', { family, problem: r.error }), true);
    return;
  }
  useExportDialog.setState({
    dialog: {
      family: r.family,
      stem: r.stem,
      model: r.model,
      notes: r.notes,
      folder: `${r.model.replace(/\.yaml$/, '')}-${r.family}`,
      files: r.files,
      targets: getHost().exportTargets(),
      written: null,
      busy: false,
      error: null,
    },
  });
}

export function closeYolov5Export() {
  useExportDialog.setState({ dialog: null });
}

export async function writeYolov5Export(target: ExportTarget) {
  const d = useExportDialog.getState().dialog;
  if (!d || d.busy) return;
  const set = (p: Partial<ExportDialogState>) => {
    const cur = useExportDialog.getState().dialog;
    if (cur) useExportDialog.setState({ dialog: { ...cur, ...p } });
  };
  set({ busy: true, error: null });
  try {
    // into a folder: files already there with other content are listed for the user to confirm first
    const written = await getHost().writeExport(target, d.folder, d.files, confirmOverwrites(d.files));
    set({ busy: false, ...(written ? { written } : {}) });
  } catch (e) {
    set({ busy: false, error: errorMessage(e) });
  }
}

/** Bytes as people read them. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export type ExportFileRole = 'model' | 'patchV7' | 'patchMaster' | 'patchUltralytics' | 'modules' | 'other';

/** `model`: the model YAML's file name (NAME.yaml, or for Ultralytics the name carrying the scale). */
export function fileRole(model: string, path: string): ExportFileRole {
  if (path === model || path === `${model}.yaml`) return 'model';
  if (path === 'yolov5-v7.0.patch') return 'patchV7';
  if (path === 'yolov5-master.patch') return 'patchMaster';
  if (/^ultralytics-[\d.]+\.patch$/.test(path)) return 'patchUltralytics';
  if (path.endsWith('.modules.yaml')) return 'modules';
  return 'other';
}

/** A path as a POSIX shell reads it (quoted when it has anything beyond plain characters). */
export const shellQuote = (s: string) => (/^[\w@%+=:,./~-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export interface Step {
  command: string;
  /** What the command is for, in words for the reader (a `# comment` beside it). */
  note?:
    'unzip' | 'checkout' | 'applyMaster' | 'train' | 'checkoutUltralytics' | 'installUltralytics' | 'trainUltralytics';
}

/**
 * The commands that train the exported model, run beside a YOLOv5 checkout. A desktop export knows its
 * folder's path; a browser knows only the folder's name, so the folder is taken to sit beside the checkout
 * (as the zip unpacks where it is unzipped).
 */
export function yolov5Steps(stem: string, files: string[], written: ExportWritten, absolute: boolean): Step[] {
  const dir = written.target === 'folder' && absolute ? written.folder : `../${written.folder}`;
  const at = (name: string) => shellQuote(`${dir.replace(/[\\/]+$/, '')}/${name}`);
  const steps: Step[] = [];
  if (written.target === 'zip') steps.push({ command: `unzip ${shellQuote(written.file)}`, note: 'unzip' });
  steps.push({ command: 'cd yolov5', note: 'checkout' });
  if (files.includes('yolov5-v7.0.patch'))
    steps.push({ command: `git apply ${at('yolov5-v7.0.patch')}`, note: 'applyMaster' });
  steps.push({
    command: `python train.py --cfg ${at(`${stem}.yaml`)} --data coco128.yaml --weights ''`,
    note: 'train',
  });
  return steps;
}

/**
 * The commands that build the exported model beside an ultralytics checkout (the folder beside it, as for YOLOv5):
 * apply the patch when there is one, then build the model from its YAML (its name carries the scale).
 */
export function ultralyticsSteps(model: string, files: string[], written: ExportWritten, absolute: boolean): Step[] {
  const dir = written.target === 'folder' && absolute ? written.folder : `../${written.folder}`;
  const at = (name: string) => shellQuote(`${dir.replace(/[\\/]+$/, '')}/${name}`);
  const steps: Step[] = [];
  if (written.target === 'zip') steps.push({ command: `unzip ${shellQuote(written.file)}`, note: 'unzip' });
  steps.push({ command: 'cd ultralytics', note: 'checkoutUltralytics' });
  const patch = files.find((f) => /^ultralytics-[\d.]+\.patch$/.test(f));
  if (patch) {
    steps.push({ command: `git apply ${at(patch)}` });
    steps.push({ command: 'pip install -e .', note: 'installUltralytics' });
  }
  steps.push({ command: `yolo train model=${at(model)} data=coco8.yaml`, note: 'trainUltralytics' });
  return steps;
}
