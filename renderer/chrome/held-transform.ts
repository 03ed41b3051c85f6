/**
 * Moving a compositor layer without rebuilding the page's layers.
 * Chromium (measured on 156) rebuilds all its compositor layers (PaintArtifactCompositor::Update, "Layerize" in a
 * trace) on every frame in which a script writes a transform, even of an element that is a layer of its own;
 * only a transform under a running compositor animation takes its direct path to the layer (Blink's
 * paint_property_tree_builder: "we can only use the direct transform update ... when animations are present").
 * On a 300-node graph that rebuild is ~3-4 ms of every pan frame, for a layer that only moved.
 * So while an element is held, it runs a Web Animation of `transform` whose value is kept equal to the transform
 * written: the animation shows what the element's style says, and each write goes straight to its layer. Let go,
 * the animation ends and the style (the same value) shows again.
 */
const held = new WeakMap<Element, Animation>();

const still = (t: string): Keyframe[] => [{ transform: t }, { transform: t }];

/** Starts holding the element at transform `t` (its style's transform by default). */
export function holdTransform(el: HTMLElement, t = el.style.transform): void {
  if (held.has(el) || typeof el.animate !== 'function') return;
  held.set(el, el.animate(still(t), { duration: 1000, iterations: Infinity }));
}

/** The transform a held element shows now (nothing while it is not held). */
export function setHeldTransform(el: HTMLElement, t: string): void {
  (held.get(el)?.effect as KeyframeEffect | undefined)?.setKeyframes(still(t));
}

/** Writes the element's transform, and the held animation's value when it is held. */
export function writeTransform(el: HTMLElement, t: string): void {
  el.style.transform = t;
  setHeldTransform(el, t);
}

/** Lets the element go: its style's transform shows again. */
export function releaseTransform(el: HTMLElement): void {
  held.get(el)?.cancel();
  held.delete(el);
}
