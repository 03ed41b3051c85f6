/**
 * Export for YOLOv5 never replaces a file whose content differs without the user's say: once the folder is
 * known, the files already there are classified (new, changed, unchanged: core's classifier, the same one
 * the CLI's export --yolov5 uses) and the changed ones are listed in a confirmation. Cancel writes nothing.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ExistingFile, ExportPlan, ExportedFile } from '../host/types.ts';

export type ExportFileState = 'new' | 'changed' | 'unchanged';

/** How each file of an export stands against the folder's files (core's classifier, adapted to this shape). */
export type ClassifyExport = (
  files: ExportedFile[],
  existing: ExistingFile[],
) => { path: string; state: ExportFileState }[];

export interface OverwriteQuestion {
  folder: string;
  /** The files that would be replaced by different content. */
  changed: string[];
  answer(replace: boolean): void;
}

export const overwriteStore = createStore<{ question: OverwriteQuestion | null }>(() => ({ question: null }));

export function useOverwrite<T>(selector: (s: { question: OverwriteQuestion | null }) => T): T {
  return useStore(overwriteStore, selector);
}

/** Ask whether to replace these files (one question at a time: a new one cancels the old). */
export function askOverwrite(folder: string, changed: string[]): Promise<boolean> {
  overwriteStore.getState().question?.answer(false);
  return new Promise((resolve) => {
    const question: OverwriteQuestion = {
      folder,
      changed,
      answer(replace) {
        if (overwriteStore.getState().question !== question) return;
        overwriteStore.setState({ question: null });
        resolve(replace);
      },
    };
    overwriteStore.setState({ question });
  });
}

/**
 * The plan for an export into `folder`: when a file there would get different content, ask first (listing
 * them); then write every file of the export. Unchanged files are written too (same bytes).
 */
export function confirmOverwrites(
  folder: string,
  classify: ClassifyExport,
  ask: (folder: string, changed: string[]) => Promise<boolean> = askOverwrite,
): (files: ExportedFile[]) => ExportPlan {
  return (files) => async (existing) => {
    const changed = classify(files, existing)
      .filter((f) => f.state === 'changed')
      .map((f) => f.path);
    if (changed.length && !(await ask(folder, changed))) return null;
    return files;
  };
}
