/**
 * The unsaved-changes question (Save / Don't save / Cancel) as state: whoever must replace or close the open
 * document asks here and waits; UnsavedDialog shows the question and answers it. One question at a time: a
 * second ask while one is open is answered 'cancel' (the first one decides).
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export type UnsavedChoice = 'save' | 'discard' | 'cancel';

export interface UnsavedQuestion {
  /** The document's name, as in the title bar. */
  name: string;
  answer(choice: UnsavedChoice): void;
}

interface UnsavedState {
  question: UnsavedQuestion | null;
  ask(name: string): Promise<UnsavedChoice>;
}

export const unsavedStore = createStore<UnsavedState>((set, get) => ({
  question: null,
  ask(name) {
    if (get().question) return Promise.resolve('cancel');
    return new Promise<UnsavedChoice>((resolve) => {
      const question: UnsavedQuestion = {
        name,
        answer(choice) {
          if (get().question !== question) return;
          set({ question: null });
          resolve(choice);
        },
      };
      set({ question });
    });
  },
}));

export function useUnsaved<T>(selector: (s: UnsavedState) => T): T {
  return useStore(unsavedStore, selector);
}
