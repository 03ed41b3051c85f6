/**
 * For tests in jsdom, which has no Element.animate: a stand-in that records each animation started on an HTML
 * element (its target, its keyframes as last set, whether it was cancelled), as held-transform.ts uses them.
 * Returns the record and a function that removes the stand-in again.
 */
export interface RecordedAnimation {
  el: Element;
  frames: Keyframe[];
  cancelled: boolean;
}

export function recordAnimations(): { animations: RecordedAnimation[]; restore: () => void } {
  const animations: RecordedAnimation[] = [];
  HTMLElement.prototype.animate = function (this: HTMLElement, frames: Keyframe[] | PropertyIndexedKeyframes | null) {
    const a: RecordedAnimation = { el: this, frames: frames as Keyframe[], cancelled: false };
    animations.push(a);
    return {
      effect: { setKeyframes: (f: Keyframe[]) => (a.frames = f) },
      cancel: () => (a.cancelled = true),
    } as unknown as Animation;
  };
  return { animations, restore: () => delete (HTMLElement.prototype as Partial<HTMLElement>).animate };
}
