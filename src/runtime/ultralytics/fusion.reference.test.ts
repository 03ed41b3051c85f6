/**
 * Conv + batch norm fusion on Ultralytics networks: in every config of Ultralytics 8.3.253's families we run
 * (YOLOv8, YOLO11, YOLO12, v9, v10, every task), every batch norm folds into the convolution before it and the
 * activation after it joins the same step, so a Conv is one kernel; RepConv's (YOLOv9's RepNCSPELAN4) and
 * RepVGGDW's (YOLOv10's C2fCIB with lk) branches merge into one convolution each.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { planFusion } from '../fusion.ts';
import { planModel } from '../model.ts';
import { describeReference, ultralyticsConfigPath } from '../../testing/reference.ts';

const CONFIGS = [
  'v8/yolov8.yaml',
  'v8/yolov8-seg.yaml',
  'v8/yolov8-pose.yaml',
  'v8/yolov8-obb.yaml',
  'v8/yolov8-cls.yaml',
  '11/yolo11.yaml',
  '11/yolo11-seg.yaml',
  '11/yolo11-pose.yaml',
  '11/yolo11-obb.yaml',
  '11/yolo11-cls.yaml',
  '12/yolo12.yaml',
  'v9/yolov9c.yaml',
  'v10/yolov10n.yaml',
];

describeReference('conv + batch norm fusion on Ultralytics networks', () => {
  it.each(CONFIGS)('%s: every batch norm folded into its convolution, its activation in the same step', (config) => {
    const text = readFileSync(ultralyticsConfigPath(config), 'utf8');
    // scale n for the families with scales (yolov9c and yolov10n name their own)
    const file = config.split('/')[1].replace(/^(yolov8|yolo11|yolo12)/, '$1n');
    const plan = planModel(text, { imgsz: 64, file });
    let convs = 0;
    let bns = 0;
    let convBnAct = 0;
    let merged = 0;
    let reps = 0;
    const unfusedBn: string[] = [];
    for (const L of plan.layers) {
      const f = planFusion(L);
      for (const o of L.ops) {
        if (o.kind === 'conv2d') convs++;
        if (o.kind !== 'batchNorm') continue;
        bns++;
        if (!f.absorbed.has(o)) unfusedBn.push(`${L.i} ${L.module} ${o.name}`);
      }
      for (const c of f.conv.values()) if (c.bn && c.act) convBnAct++;
      for (const c of f.conv.values()) if (c.merged) merged++;
      // RepConv's 1x1 branch (conv2) and RepVGGDW's 3x3 one (conv1 beside a 7x7 conv)
      reps += L.ops.filter(
        (o) =>
          o.kind === 'conv2d' &&
          (/(^|\.)conv2\.conv$/.test(o.name) ||
            (/(^|\.)conv1\.conv$/.test(o.name) &&
              L.ops.some(
                (p) => p.kind === 'conv2d' && p.k[0] === 7 && p.name === o.name.replace(/conv1\.conv$/, 'conv.conv'),
              ))),
      ).length;
    }
    expect(merged).toBe(reps);
    if (/yolov9c|yolov10n/.test(config)) expect(merged).toBeGreaterThan(0);
    expect(bns).toBeGreaterThan(0);
    expect(unfusedBn).toEqual([]);
    // every Conv with an activation is one step (the heads' last convolutions have none)
    expect(convBnAct).toBeGreaterThan(bns * 0.6);
    expect(convs).toBeGreaterThanOrEqual(bns);
  });
});
