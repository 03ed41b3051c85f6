/**
 * Seeded weights for the runtime's module tests: initStateDict's, with every batch norm's statistics and affine
 * far from (1, 0, 0, 1) and attention biases away from 0, so a norm folded wrongly or a bias dropped shows.
 */
import type { ModelPlan } from '../runtime/model.ts';
import { initStateDict, rng, type StateDict } from '../runtime/weights.ts';

export function farWeights(plan: ModelPlan): StateDict {
  const sd = initStateDict(plan, 3);
  const r = rng(9);
  for (const [k, t] of sd) {
    if (k.endsWith('running_var')) t.data.forEach((_, j) => (t.data[j] = 0.3 + r()));
    else if (k.endsWith('running_mean') || (k.endsWith('.bias') && sd.has(k.replace(/bias$/, 'running_var'))))
      t.data.forEach((_, j) => (t.data[j] = r() - 0.5));
    else if (k.endsWith('.weight') && sd.has(k.replace(/weight$/, 'running_var')))
      t.data.forEach((_, j) => (t.data[j] = 0.5 + r()));
    else if (k.endsWith('in_proj_bias') || k.endsWith('out_proj.bias'))
      t.data.forEach((_, j) => (t.data[j] = (r() - 0.5) * 0.2));
  }
  return sd;
}
