/** Batch norm folds with YOLOv5's eps = 1e-3 (not stored in a state_dict; PyTorch's default is 1e-5). */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from './backend-node.ts';
import { planModel } from './model.ts';
import { Network } from './network.ts';
import { initStateDict } from './weights.ts';

const CONFIG = `nc: 1
depth_multiple: 1.0
width_multiple: 1.0
anchors: 1
backbone:
  [[-1, 1, Conv, [2, 1, 1, None, 1, 1, False]]]
head:
  []
`;

describe('batch norm epsilon', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('folds Conv + BatchNorm2d with eps 1e-3, which tiny running variances make visible', async () => {
    const plan = planModel(CONFIG, { imgsz: 2 });
    const state = initStateDict(plan, 1);
    const set = (k: string, v: number[]) => state.get(`model.0.${k}`)!.data.set(v);
    set('conv.weight', [1, 0, 0, 0, 1, 0]); // channel 0 <- input 0, channel 1 <- input 1
    set('bn.weight', [1, 2]);
    set('bn.bias', [0.5, -0.5]);
    set('bn.running_mean', [0.1, 0.25]);
    set('bn.running_var', [1e-4, 1e-5]);
    const net = new Network(plan, state);
    const x = tf.tensor4d([0.3, 0.7, 0, 0.6, 0.2, 0, 0.9, 0.4, 0, 0.5, 0.5, 0], [1, 2, 2, 3]);
    const out = await net.forward(x, { layers: [0] });
    x.dispose();
    net.dispose();
    const got = out.layers.get(0)!.data; // NCHW [1, 2, 2, 2]
    const inputs = [
      [0.3, 0.6, 0.9, 0.5],
      [0.7, 0.2, 0.4, 0.5],
    ];
    const bn = (eps: number) =>
      inputs
        .map((xs, c) =>
          xs.map((v) => ((v - [0.1, 0.25][c]) / Math.sqrt([1e-4, 1e-5][c] + eps)) * [1, 2][c] + [0.5, -0.5][c]),
        )
        .flat();
    const want = bn(1e-3);
    const wrong = bn(1e-5);
    for (let k = 0; k < 8; k++) {
      expect(got[k]).toBeCloseTo(want[k], 4);
      expect(Math.abs(got[k] - wrong[k])).toBeGreaterThan(0.1);
    }
  });
});
