/**
 * Export for YOLOv5 as a dialog: the files it will write (computed first, shown with their sizes), where to
 * write them (a folder the user picks, or one zip), then what was written and the exact commands to run
 * in a YOLOv5 checkout.
 */
import { create } from 'zustand';
import type { ExportFile } from '../../src/core/index.ts';
import { getHost } from '../host/index.ts';
import type { ExportTarget, ExportWritten } from '../host/types.ts';
import { editorStore } from '../store/editor.ts';
import { prepareYolov5Export } from '../modules/actions.ts';
import { confirmOverwrites } from '../overwrite/plan.ts';

export interface ExportDialogState {
  stem: string;
  /** The folder's name (and the zip's, without .zip). */
  folder: string;
  files: ExportFile[];
  targets: ExportTarget[];
  written: ExportWritten | null;
  busy: boolean;
  error: string | null;
}

export const useExportDialog = create<{ dialog: ExportDialogState | null }>(() => ({ dialog: null }));

/** Compute the export and show it; a model with errors says why in the toast instead. */
export function openYolov5Export() {
  const r = prepareYolov5Export();
  if ('error' in r) {
    editorStore.getState().notify(`Export for YOLOv5: ${r.error}`, true);
    return;
  }
  useExportDialog.setState({
    dialog: {
      stem: r.stem,
      folder: `${r.stem}-yolov5`,
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
    set({ busy: false, error: (e as Error).message });
  }
}

/** Bytes as people read them. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export type ExportFileRole = 'model' | 'patchV7' | 'patchMaster' | 'modules' | 'other';

export function fileRole(stem: string, path: string): ExportFileRole {
  if (path === `${stem}.yaml`) return 'model';
  if (path === 'yolov5-v7.0.patch') return 'patchV7';
  if (path === 'yolov5-master.patch') return 'patchMaster';
  if (path.endsWith('.modules.yaml')) return 'modules';
  return 'other';
}

/** A path as a POSIX shell reads it (quoted when it has anything beyond plain characters). */
export const shellQuote = (s: string) => (/^[\w@%+=:,./~-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export interface Step {
  command: string;
  /** What the command is for, in words for the reader (a `# comment` beside it). */
  note?: 'unzip' | 'checkout' | 'applyMaster' | 'train';
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
