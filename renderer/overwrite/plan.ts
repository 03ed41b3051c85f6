/**
 * Export for YOLOv5 never replaces a file whose content differs without the user's say: once the folder is
 * known, the files already there are set against the export's (core's planExport, the same one the CLI's
 * export --yolov5 uses: new, changed, unchanged, a module library merged into the one there) and the changed
 * ones are listed in a confirmation. Cancel writes nothing.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { planExport } from '../../src/core/index.ts';
import type { ExportPlan, ExportedFile } from '../host/types.ts';

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
 * The plan for an export: when a file in the folder picked would get different content, ask first (listing
 * them); then write the new and changed files (a module library merged into the one there). A file already
 * there with the same text is left alone.
 */
export function confirmOverwrites(
  files: ExportedFile[],
  ask: (folder: string, changed: string[]) => Promise<boolean> = askOverwrite,
): ExportPlan {
  return async (existing, folder) => {
    const planned = planExport(files, existing);
    const changed = planned.filter((f) => f.state === 'changed').map((f) => f.path);
    if (changed.length && !(await ask(folder, changed))) return null;
    return planned.filter((f) => f.state !== 'unchanged').map(({ path, text }) => ({ path, text }));
  };
}
