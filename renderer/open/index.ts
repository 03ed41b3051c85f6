/** The app's one read worker (started on the first file opened), and the libraries a file is read with. */
import type { LibrarySource } from '../../src/core/index.ts';
import { libraryStore } from '../modules/library.ts';
import { ReadClient } from './read-client.ts';

export { readFailureMessage, type ReadFailure } from './read-client.ts';

export const reader = new ReadClient();

/** The libraries the editor reads a model with, when `model` is its own library (NAME.modules.yaml) or none. */
export function librariesWith(model: LibrarySource | null): LibrarySource[] {
  const s = libraryStore.getState();
  return [s.user, ...(model ? [model] : [])].filter((l) => l.text.trim() !== '');
}
