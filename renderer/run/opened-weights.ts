/** Weights that came with the opened document (a .pt checkpoint): the run panel offers them first. */
import { create } from 'zustand';

export interface OpenedWeights {
  name: string;
  bytes: Uint8Array;
}

export const useOpenedWeights = create<{ weights: OpenedWeights | null; set(w: OpenedWeights | null): void }>(
  (set) => ({
    weights: null,
    set: (weights) => set({ weights }),
  }),
);
