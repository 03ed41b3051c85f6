/**
 * The module libraries the editor reads a model with: the default library (SE, CBAM, CoordAtt), the user's
 * modules.yaml (kept by the Host), and the model's own NAME.modules.yaml (opened beside the model). Each may
 * use the modules of the ones before it; later ones win. The editor store analyses with `registry`.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import {
  defaultLibrary,
  loadLibraryChain,
  type Diagnostic,
  type LibrarySource,
  type ModuleLibrary,
  type Registry,
} from '../../src/core/index.ts';

export type LibraryKind = 'user' | 'model';

export interface LibraryState {
  /** The user's modules.yaml. */
  user: LibrarySource;
  /** Where the user's library lives, in words (a path on desktop). */
  userLocation: string;
  /** The open model's NAME.modules.yaml, or null. */
  model: LibrarySource | null;
  /** Default, user, model (the order they are read in). */
  libraries: ModuleLibrary[];
  registry: Registry;
  diagnostics: Diagnostic[];
  /** Changes whenever the libraries change (for caches keyed on them). */
  version: number;
  setUser(text: string, location?: string): void;
  setModel(source: LibrarySource | null): void;
}

export const USER_LIBRARY_FILE = 'modules.yaml';

function read(user: LibrarySource, model: LibrarySource | null) {
  return loadLibraryChain(
    [user, ...(model ? [model] : [])].filter((s) => s.text.trim() !== ''),
    [defaultLibrary()],
  );
}

export function createLibraryStore() {
  const user: LibrarySource = { file: USER_LIBRARY_FILE, text: '' };
  return createStore<LibraryState>((set, get) => ({
    user,
    userLocation: '',
    model: null,
    ...read(user, null),
    version: 0,
    setUser(text, location) {
      const s = get();
      const u = { file: USER_LIBRARY_FILE, text };
      set({
        user: u,
        ...(location !== undefined ? { userLocation: location } : {}),
        ...read(u, s.model),
        version: s.version + 1,
      });
    },
    setModel(source) {
      const s = get();
      set({ model: source, ...read(s.user, source), version: s.version + 1 });
    },
  }));
}

export const libraryStore = createLibraryStore();

export function useLibrary<T>(selector: (s: LibraryState) => T): T {
  return useStore(libraryStore, selector);
}

/** The library texts a worker needs to rebuild the same registry (the default library is built in). */
export function librarySources(s: LibraryState = libraryStore.getState()): LibrarySource[] {
  return [s.user, ...(s.model ? [s.model] : [])].filter((x) => x.text.trim() !== '');
}
