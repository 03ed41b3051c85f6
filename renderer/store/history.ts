/**
 * Undo/redo over text snapshots. Typing coalesces into one step per burst (a pause of `burstMs` or a
 * non-typing edit ends it); every other change is one step. Steps carry the edit's old-to-new layer
 * mapping so positions and the selection follow undo and redo too.
 *
 * When the editing engine's History (src/core/edit) lands, its commands record through this same
 * interface; this class only keeps the before/after texts.
 */
interface Step {
  before: string;
  after: string;
  /** old -> new layer index of the forward edit */
  mapping?: number[];
}

export class TextHistory {
  private past: Step[] = [];
  private future: Step[] = [];
  private lastTypingAt = -Infinity;
  private typingOpen = false;

  constructor(
    private readonly burstMs: number,
    private readonly now: () => number,
    private readonly limit = 500,
  ) {}

  get canUndo() {
    return this.past.length > 0;
  }
  get canRedo() {
    return this.future.length > 0;
  }

  reset() {
    this.past = [];
    this.future = [];
    this.typingOpen = false;
  }

  record(before: string, after: string, kind: 'typing' | 'step', mapping?: number[]) {
    const t = this.now();
    this.future = [];
    const last = this.past[this.past.length - 1];
    if (kind === 'typing' && this.typingOpen && last && t - this.lastTypingAt <= this.burstMs) {
      last.after = after;
      last.mapping = undefined;
    } else {
      this.past.push({ before, after, ...(mapping ? { mapping } : {}) });
      if (this.past.length > this.limit) this.past.shift();
    }
    this.typingOpen = kind === 'typing';
    this.lastTypingAt = t;
  }

  undo(current: string): { text: string; mapping?: number[] } | null {
    const step = this.past.pop();
    if (!step) return null;
    this.typingOpen = false;
    this.future.push({ ...step, after: current });
    return { text: step.before, ...(step.mapping ? { mapping: invert(step.mapping) } : {}) };
  }

  redo(current: string): { text: string; mapping?: number[] } | null {
    const step = this.future.pop();
    if (!step) return null;
    this.typingOpen = false;
    this.past.push({ ...step, before: current });
    return { text: step.after, ...(step.mapping ? { mapping: step.mapping } : {}) };
  }
}

/** Inverse of an old->new mapping (-1 where a layer did not exist before). */
export function invert(mapping: number[]): number[] {
  const size = Math.max(mapping.length, ...mapping.map((v) => v + 1));
  const inv = new Array<number>(size).fill(-1);
  mapping.forEach((to, from) => {
    if (to >= 0) inv[to] = from;
  });
  return inv;
}
