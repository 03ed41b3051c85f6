/**
 * The module editor's state: the module being edited (a ModuleSpec), its undo history, the selected
 * node and where Save writes. Every gesture goes through `perform` with a command of src/core/custom/edit.ts.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import {
  moduleCommand,
  newModuleSpec,
  msg,
  tryModule,
  type Message,
  type ModuleSpec,
  type ModuleEdit,
  type ModuleTrial,
  type Registry,
} from '../../src/core/index.ts';
import type { LibraryKind } from './library.ts';

export interface TrialInput {
  /** Input channels. */
  c1: number;
  /** Input height and width. */
  hw: number;
  /** The row's arguments as written in a config (c1 comes from the input). */
  rowArgs: string;
}

export interface ModuleEditorState {
  open: boolean;
  spec: ModuleSpec;
  /** The module's name in its library when editing an existing one (a rename replaces that entry). */
  original: string | null;
  target: LibraryKind;
  past: ModuleSpec[];
  future: ModuleSpec[];
  /** Selected node (index into spec.body). */
  selected: number | null;
  /** Why the last gesture could not apply, or a save problem. */
  /** Why the last edit was refused, or why the module was not saved. */
  error: Message | null;
  /** Unsaved changes since opening or saving. */
  dirty: boolean;
  trial: TrialInput;
  start(opts?: { spec?: ModuleSpec; original?: string | null; target?: LibraryKind }): void;
  perform(edit: ModuleEdit): boolean;
  undo(): void;
  redo(): void;
  select(i: number | null): void;
  setTrial(t: Partial<TrialInput>): void;
  setError(e: Message | null): void;
  markSaved(name: string): void;
  close(): void;
}

/** Row arguments a trial starts with: c2 = c1 (what attention blocks need), then the defaults. */
export function defaultTrial(spec: ModuleSpec, c1 = 64): TrialInput {
  const parse = spec.parse ?? 'channels';
  return {
    c1,
    hw: 80,
    rowArgs:
      parse === 'passthrough'
        ? spec.args
            .filter((a) => a.default === undefined)
            .map(() => String(c1))
            .join(', ')
        : String(c1),
  };
}

export function createModuleEditorStore() {
  return createStore<ModuleEditorState>((set, get) => ({
    open: false,
    spec: newModuleSpec(),
    original: null,
    target: 'user',
    past: [],
    future: [],
    selected: null,
    error: null,
    dirty: false,
    trial: defaultTrial(newModuleSpec()),
    start(opts = {}) {
      const spec = opts.spec ?? newModuleSpec();
      set({
        open: true,
        spec,
        original: opts.original ?? null,
        target: opts.target ?? get().target,
        past: [],
        future: [],
        selected: spec.body.length ? spec.body.length - 1 : null,
        error: null,
        dirty: false,
        trial: defaultTrial(spec),
      });
    },
    perform(edit) {
      const s = get();
      const r = moduleCommand(edit).perform(s.spec);
      if (!r.ok) {
        set({ error: r.error ?? msg('field.not-possible') });
        return false;
      }
      if (r.spec === s.spec) return true;
      set({ spec: r.spec, past: [...s.past, s.spec].slice(-500), future: [], error: null, dirty: true });
      return true;
    },
    undo() {
      const s = get();
      const prev = s.past[s.past.length - 1];
      if (!prev) return;
      set({
        spec: prev,
        past: s.past.slice(0, -1),
        future: [s.spec, ...s.future],
        error: null,
        dirty: true,
        selected: s.selected !== null && s.selected < prev.body.length ? s.selected : null,
      });
    },
    redo() {
      const s = get();
      const next = s.future[0];
      if (!next) return;
      set({
        spec: next,
        past: [...s.past, s.spec],
        future: s.future.slice(1),
        error: null,
        dirty: true,
        selected: s.selected !== null && s.selected < next.body.length ? s.selected : null,
      });
    },
    select(i) {
      set({ selected: i });
    },
    setTrial(t) {
      set({ trial: { ...get().trial, ...t } });
    },
    setError(e) {
      set({ error: e });
    },
    markSaved(name) {
      set({ original: name, dirty: false, error: null });
    },
    close() {
      set({ open: false, error: null });
    },
  }));
}

export const moduleEditorStore = createModuleEditorStore();

export function useModuleEditor<T>(selector: (s: ModuleEditorState) => T): T {
  return useStore(moduleEditorStore, selector);
}

/** The trial of the module being edited, read with `registry` (which must already contain it). */
export function runTrial(spec: ModuleSpec, registry: Registry, t: TrialInput): ModuleTrial {
  return tryModule(spec.name, registry, { c1: t.c1, hw: t.hw, rowArgs: t.rowArgs, spec });
}
