/**
 * Files in a browser: the File System Access API where Chromium offers it (a save picker whose handle lets
 * Save write the same file again, a directory picker for exports), a named download otherwise, and one zip
 * (fflate) for a multi-file export.
 */
import { strToU8, zipSync } from 'fflate';
import type { ExportedFile } from './types.ts';

/** The parts of the File System Access API used here (not yet in TypeScript's DOM library). */
export interface WritableFile {
  write(data: string | Blob | Uint8Array): Promise<void>;
  close(): Promise<void>;
}
export interface FileHandle {
  readonly kind: 'file';
  readonly name: string;
  createWritable(): Promise<WritableFile>;
}
export interface DirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandle>;
}
interface PickerType {
  description: string;
  accept: Record<string, string[]>;
}
export interface FileSystemAccess {
  showSaveFilePicker?(options: { suggestedName?: string; types?: PickerType[] }): Promise<FileHandle>;
  showDirectoryPicker?(options?: { id?: string; mode?: 'read' | 'readwrite' }): Promise<DirectoryHandle>;
}

const YAML_TYPES: PickerType[] = [
  { description: 'YOLO model (YAML)', accept: { 'application/x-yaml': ['.yaml', '.yml'] } },
];

/** The user closed the picker: not an error. */
export const isAbort = (e: unknown) => (e as { name?: string } | null)?.name === 'AbortError';

export async function writeHandle(handle: FileHandle, data: string | Blob | Uint8Array) {
  const w = await handle.createWritable();
  try {
    await w.write(data);
  } finally {
    await w.close();
  }
}

/** Ask where to save through Chromium's save picker and write there; null when cancelled. */
export async function pickAndSave(fsa: FileSystemAccess, suggestedName: string, text: string) {
  let handle: FileHandle;
  try {
    handle = await fsa.showSaveFilePicker!({ suggestedName, types: YAML_TYPES });
  } catch (e) {
    if (isAbort(e)) return null;
    throw e;
  }
  await writeHandle(handle, text);
  return handle;
}

/** Files already in the folder under these names (to be replaced). */
export async function existingNames(dir: DirectoryHandle, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) {
    try {
      await dir.getFileHandle(n);
      out.push(n);
    } catch {
      // not there
    }
  }
  return out;
}

/** Write plain-named files into a folder the user picked. */
export async function writeIntoDirectory(dir: DirectoryHandle, files: ExportedFile[]) {
  for (const f of files) {
    if (!/^[\w.-]+$/.test(f.path)) throw new Error(`not a plain file name: ${f.path}`);
    await writeHandle(await dir.getFileHandle(f.path, { create: true }), f.text);
  }
}

/** One zip holding the files under `folder/` (so unzipping makes one folder). */
export function zipOf(folder: string, files: ExportedFile[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[`${folder}/${f.path}`] = strToU8(f.text);
  return zipSync(entries, { level: 6 });
}
