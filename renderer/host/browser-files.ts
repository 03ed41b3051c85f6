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
  getFile?(): Promise<File>;
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

/** Largest existing file read to compare with an export's (larger ones count as different). */
const MAX_EXISTING_BYTES = 16 * 1024 * 1024;

/** Files already in the folder under these names, with their text (null when it cannot be read as text). */
export async function existingFiles(
  dir: DirectoryHandle,
  names: string[],
): Promise<{ path: string; text: string | null }[]> {
  const out: { path: string; text: string | null }[] = [];
  for (const n of names) {
    let handle: FileHandle;
    try {
      handle = await dir.getFileHandle(n);
    } catch {
      continue; // not there (or not a file: getFileHandle refuses folders)
    }
    let text: string | null = null;
    try {
      const f = await handle.getFile?.();
      if (f && f.size < MAX_EXISTING_BYTES) {
        const t = await f.text();
        text = t.includes('\u0000') ? null : t;
      }
    } catch {
      text = null;
    }
    out.push({ path: n, text });
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
