/**
 * What the window shows around the canvas: which panels are open, focus-canvas mode, the minimap and the
 * shortcut sheet. Kept per user (localStorage); the panels' sizes are kept by the panel groups themselves
 * (react-resizable-panels' useDefaultLayout, under the same key prefix).
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The panels around the canvas, in the order of their one-key toggles (1..5). */
export const PANELS = ['palette', 'yaml', 'inspector', 'problems', 'run'] as const;
export type PanelId = (typeof PANELS)[number];

export const VIEW_KEY = 'yolo-architect.view';
/** Prefix of the keys under which each panel group keeps its sizes. */
export const LAYOUT_KEY_PREFIX = 'yolo-architect.layout';

const ALL_OPEN: Record<PanelId, boolean> = { palette: true, yaml: true, inspector: true, problems: true, run: true };

export interface ViewState {
  open: Record<PanelId, boolean>;
  /** Focus canvas: every panel closed; `open` is what comes back when it ends. */
  focus: boolean;
  minimap: boolean;
  /** The keyboard shortcut sheet is shown (not kept). */
  sheet: boolean;
  /** The About dialog is shown (not kept). */
  about: boolean;
  /** The find box is shown (not kept). */
  finding: boolean;
  /**
   * A drag on the minimap is moving the view (not kept): the canvas treats it as a drag of its pane (PanLayer), as
   * React Flow's `paneDragging` cannot say it (each programmatic move ends React Flow's gesture).
   */
  navigating: boolean;
  /** Show or hide a panel (ends focus mode: the panel asked for is shown beside the canvas). */
  toggle(id: PanelId): void;
  setOpen(id: PanelId, open: boolean): void;
  /** What the user left on screen by dragging panels shut or open (ends focus mode when one was opened). */
  setShown(shown: Record<PanelId, boolean>): void;
  toggleFocus(): void;
  toggleMinimap(): void;
  setSheet(open: boolean): void;
  setAbout(open: boolean): void;
  setFinding(open: boolean): void;
  setNavigating(on: boolean): void;
}

/** The view is being dragged: the canvas pane (React Flow's `paneDragging`) or the minimap (`navigating`). */
export const viewDragged = (flow: { paneDragging: boolean }) => flow.paneDragging || useView.getState().navigating;

/** A panel is on screen when it is open and the canvas is not in focus mode. */
export const isShown = (s: Pick<ViewState, 'open' | 'focus'>, id: PanelId) => !s.focus && s.open[id];

export const useView = create<ViewState>()(
  persist(
    (set, get) => ({
      open: { ...ALL_OPEN },
      focus: false,
      minimap: true,
      sheet: false,
      about: false,
      finding: false,
      navigating: false,
      toggle(id) {
        const s = get();
        if (s.focus) set({ focus: false, open: { ...s.open, [id]: true } });
        else set({ open: { ...s.open, [id]: !s.open[id] } });
      },
      setOpen(id, open) {
        const s = get();
        if (s.focus && open) set({ focus: false, open: { ...s.open, [id]: true } });
        else if (!s.focus && s.open[id] !== open) set({ open: { ...s.open, [id]: open } });
      },
      setShown(shown) {
        const s = get();
        if (PANELS.every((p) => isShown(s, p) === shown[p])) return;
        if (s.focus && !PANELS.some((p) => shown[p])) return;
        set({ focus: false, open: { ...shown } });
      },
      toggleFocus() {
        const s = get();
        // with every panel already closed, focus mode would change nothing: bring them all back instead
        if (!s.focus && PANELS.every((p) => !s.open[p])) set({ open: { ...ALL_OPEN } });
        else set({ focus: !s.focus });
      },
      toggleMinimap: () => set({ minimap: !get().minimap }),
      setSheet: (sheet) => set({ sheet }),
      setAbout: (about) => set({ about }),
      setFinding: (finding) => set({ finding }),
      setNavigating: (navigating) => set({ navigating }),
    }),
    {
      name: VIEW_KEY,
      version: 1,
      storage: createJSONStorage(() => globalThis.localStorage),
      partialize: (s) => ({ open: s.open, focus: s.focus, minimap: s.minimap }),
      // a stored value from elsewhere (another version, a hand edit) only sets what it names correctly
      merge: (stored, current) => {
        const p = (stored ?? {}) as Partial<Pick<ViewState, 'open' | 'focus' | 'minimap'>>;
        const open = { ...current.open };
        for (const id of PANELS) if (typeof p.open?.[id] === 'boolean') open[id] = p.open[id];
        return {
          ...current,
          open,
          focus: typeof p.focus === 'boolean' ? p.focus : current.focus,
          minimap: typeof p.minimap === 'boolean' ? p.minimap : current.minimap,
        };
      },
    },
  ),
);
