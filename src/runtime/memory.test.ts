import { describe, expect, it } from 'vitest';
import { LIMITS } from '../core/index.ts';
import { modelWith } from '../testing/hostile-files.ts';
import { checkRunMemory, estimateRunMemory, parseBytes } from './memory.ts';
import { ModelError, planModel } from './model.ts';

describe('the memory a run needs, estimated before allocating', () => {
  it('weights twice (host copy and backend tensor), every output, the largest layer inside, the input', () => {
    const plan = planModel(modelWith(['[-1, 1, Conv, [16, 3, 2]]', '[-1, 1, Conv, [32, 3, 2]]']), { imgsz: 64 });
    const e = estimateRunMemory(plan);
    const w0 = 16 * 3 * 9 + 4 * 16 + 1; // conv weight, BN weight, bias, running mean and var, num_batches_tracked
    const w1 = 32 * 16 * 9 + 4 * 32 + 1;
    expect(e.weights).toBe(2 * 4 * (w0 + w1));
    // outputs 16x32x32 and 32x16x16; inside layer 0 (the largest): its 3x64x64 input and the conv, BN and SiLU
    // outputs of 16x32x32; and the image
    expect(e.activations).toBe(
      4 * (16 * 32 * 32 + 32 * 16 * 16) + 4 * (3 * 64 * 64 + 3 * 16 * 32 * 32) + 4 * 3 * 64 * 64,
    );
    expect(e.largest).toMatchObject({ layer: 0, module: 'Conv' });
    expect(e.bytes).toBe(e.weights + e.activations);
  });

  it('refuses above the limit (default 2 GiB) with a ModelError coded run-memory naming the largest layer', () => {
    const plan = planModel(modelWith(['[-1, 1, Conv, [4096, 3, 2]]', '[-1, 1, Conv, [16384, 3, 1]]']), { imgsz: 64 });
    expect(LIMITS.runMemory).toBe(2 * 1024 ** 3);
    let err: unknown;
    try {
      checkRunMemory(plan);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).diagnostics[0]).toMatchObject({ code: 'run-memory', layer: 1 });
    expect((err as Error).message).toMatch(/more than the 2\.0 GiB allowed; layer 1 Conv alone needs 4\.\d GiB/);
    expect(checkRunMemory(plan, 8 * 1024 ** 3).bytes).toBeGreaterThan(4 * 1024 ** 3); // raised, it passes
  });

  it('reads sizes as --max-memory takes them', () => {
    expect(parseBytes('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseBytes('512M')).toBe(512 * 1024 ** 2);
    expect(parseBytes('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('4096')).toBe(4096);
    expect(parseBytes('lots')).toBeUndefined();
    expect(parseBytes('0')).toBeUndefined();
  });
});
