// "Look inside" for Ultralytics modules: the module tree a layer's graph build records (what the app draws).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../document.ts';
import type { ModNode } from '../graph.ts';
import { buildAnalyzedLayer } from '../parse-model/build.ts';
import { analyze } from '../propagate.ts';
import { PROJECT_DIR } from '../../testing/reference-paths.ts';

const open = (file: string, name: string) =>
  analyze(parseModelText(readFileSync(join(PROJECT_DIR, 'configs/ultralytics', file), 'utf8'), name), { imgsz: 640 });
/** Each child as `name:Type`, one level down, sorted (the build's order need not be the class's; names are). */
const children = (n: ModNode | undefined) => (n?.children ?? []).map((c) => `${c.name}:${c.type}`).sort();
const child = (n: ModNode | undefined, name: string) => n?.children.find((c) => c.name === name);

describe('look inside Ultralytics modules', () => {
  const y11 = open('yolo11.yaml', 'yolo11n.yaml');
  const inside = (i: number) => buildAnalyzedLayer(y11, i)?.root;

  it('C3k2: cv1, cv2 and its bottlenecks in a ModuleList, each with its two Convs', () => {
    const r = inside(2);
    expect(r?.type).toBe('C3k2');
    expect(children(r)).toEqual(['cv1:Conv', 'cv2:Conv', 'm:ModuleList']);
    expect(children(child(r, 'm'))).toEqual(['0:Bottleneck']);
    expect(children(child(child(r, 'm'), '0'))).toEqual(['cv1:Conv', 'cv2:Conv']);
  });

  it('SPPF and C2PSA: their convolutions, the pool, the attention block inside', () => {
    expect(children(inside(9))).toEqual(['cv1:Conv', 'cv2:Conv', 'm:MaxPool2d']);
    const psa = inside(10);
    expect(children(psa)).toEqual(['cv1:Conv', 'cv2:Conv', 'm:Sequential']);
    const block = child(child(psa, 'm'), '0');
    expect(block?.type).toBe('PSABlock');
    expect(children(block)).toEqual(['attn:Attention', 'ffn:Sequential']);
    expect(children(child(block, 'attn'))).toEqual(['pe:Conv', 'proj:Conv', 'qkv:Conv']);
  });

  it('Detect: the box and class branches per level and DFL; Segment adds Proto', () => {
    const det = inside(23);
    expect(det?.type).toBe('Detect');
    expect(children(det)).toEqual(['cv2:ModuleList', 'cv3:ModuleList', 'dfl:DFL']);
    expect(children(child(det, 'dfl'))).toEqual(['conv:Conv2d']);
    const seg = open('yolov8-seg.yaml', 'yolov8n-seg.yaml');
    const head = buildAnalyzedLayer(seg, seg.layers.length - 1)?.root;
    expect(head?.type).toBe('Segment');
    expect(children(head)).toContain('proto:Proto');
    expect(children(child(head, 'proto'))).toEqual(['cv1:Conv', 'cv2:Conv', 'cv3:Conv', 'upsample:ConvTranspose2d']);
  });
});
