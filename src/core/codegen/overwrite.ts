/**
 * An export never silently changes a file the user has: before "Export for YOLOv5" writes into a folder, each
 * of its files is set against what the folder already holds under that name. A file is `new` (nothing there),
 * `unchanged` (the same text is there) or `changed` (something else is there: different text, or something
 * that cannot be read as text, such as a link, a folder or a binary file). Only `changed` files need the
 * user's say: the CLI refuses them without --force, the app lists them in a confirmation.
 *
 * A module library already there (NAME.modules.yaml) is merged rather than replaced: the entries the export
 * writes are rewritten, every other module and comment in it stays. Pure: the callers read the folder.
 */
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { LIMITS } from '../limits.ts';
import { nestingTooDeep } from '../nesting.ts';
import type { ExportFile } from './export.ts';

export type ExportFileState = 'new' | 'changed' | 'unchanged';

/** A file already in the folder under one of the export's names; text null when it cannot be read as text. */
export interface ExistingExportFile {
  path: string;
  text: string | null;
}

/** A file of the export as it would be written there (a module library merged), and how it stands. */
export interface PlannedExportFile extends ExportFile {
  state: ExportFileState;
}

/** A module library file, merged entry by entry into one already there. */
export const isModulesFile = (path: string) => path.endsWith('.modules.yaml');

/**
 * The module library `exported` merged into the library text `existing`: each module the export writes replaces
 * the text of the entry of that name (or is added at the end); every other byte of `existing` (other modules,
 * comments, its own formatting) stays as it is. Null when `existing` is not a block mapping of modules that can
 * be merged into (a list, a flow mapping, unreadable YAML, repeated names, too large).
 */
export function mergeModulesLibrary(existing: string, exported: string): string | null {
  if (existing.length > LIMITS.libraryBytes || nestingTooDeep(existing)) return null;
  const old = parseDocument(existing, { version: '1.2' });
  const add = parseDocument(exported, { version: '1.2' });
  if (old.errors.length || add.errors.length || !isMap(add.contents)) return null;
  // an empty file, or only comments: they stay, the export's library after them
  if (old.contents === null)
    return existing.trim() ? `${existing}${existing.endsWith('\n') ? '' : '\n'}${exported}` : exported;
  if (!isMap(old.contents) || old.contents.flow) return null;
  /** Each top-level entry: its name and where its text starts and ends (the key to the end of its value). */
  const entries = (map: YAMLMap, text: string) => {
    const out: { name: string; start: number; end: number }[] = [];
    for (const pair of map.items) {
      const k = pair.key;
      if (!isScalar(k) || !k.range) return null;
      const v = pair.value as { range?: [number, number, number] } | null;
      const end = v?.range ? v.range[1] : k.range[1];
      // a top-level key starts its line
      if (k.range[0] > 0 && text[k.range[0] - 1] !== '\n') return null;
      out.push({ name: String(k.value), start: k.range[0], end });
    }
    return out;
  };
  const olds = entries(old.contents as YAMLMap, existing);
  const adds = entries(add.contents as YAMLMap, exported);
  if (!olds || !adds) return null;
  const splices: { start: number; end: number; text: string }[] = [];
  let tail = '';
  for (const a of adds) {
    const text = exported.slice(a.start, a.end);
    const at = olds.find((o) => o.name === a.name);
    if (at) splices.push({ start: at.start, end: at.end, text });
    else tail += `${text}\n`;
  }
  let out = existing;
  for (const s of splices.sort((x, y) => y.start - x.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  if (tail) out += (out.endsWith('\n') ? '' : '\n') + tail;
  return out;
}

/**
 * Each file of an export against the folder's files: what would be written (a module library merged into the
 * one there) and whether that is new, the same as what is there, or a change to it.
 */
export function planExport(files: ExportFile[], existing: ExistingExportFile[]): PlannedExportFile[] {
  return files.map((f) => {
    const there = existing.find((e) => e.path === f.path);
    if (!there) return { ...f, state: 'new' };
    if (there.text === null) return { ...f, state: 'changed' };
    const text = isModulesFile(f.path) ? (mergeModulesLibrary(there.text, f.text) ?? f.text) : f.text;
    return { path: f.path, text, state: text === there.text ? 'unchanged' : 'changed' };
  });
}

/** How each file of an export stands against the folder's files (new, changed, unchanged). */
export function classifyExport(
  files: ExportFile[],
  existing: ExistingExportFile[],
): { path: string; state: ExportFileState }[] {
  return planExport(files, existing).map(({ path, state }) => ({ path, state }));
}
