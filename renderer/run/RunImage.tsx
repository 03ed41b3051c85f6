/**
 * The run's image with its boxes: scaled to fit its container, every box and label drawn inside the
 * image, the labels over the boxes, each placed clear of the others' labels and outlines where it can be
 * (label-placement.ts), its text black or white, whichever reads better on its box's colour. An Ultralytics
 * head's extras as its Annotator draws them: masks semi-transparent in their box's colour (already cropped to
 * the box), keypoints (those with visibility below 0.25 left out) with the COCO skeleton when there are 17 of
 * [x, y, visibility], and an oriented box as its rotated outline.
 */
import { useMemo, useState } from 'react';
import type { RunSummary } from './protocol.ts';
import { labelTextColor, placeLabels, type Box } from './label-placement.ts';
import { SANS as LABEL_FONT, measure } from '../canvas/node-size.ts';

/** The room beside a label's text, a fraction of the font size on each side. */
const LABEL_PAD = 0.25;

type Shown = RunSummary['detections'][number];

/** COCO's 17-keypoint skeleton (pairs of keypoint indices, 0-based). */
export const COCO_SKELETON: [number, number][] = [
  [15, 13],
  [13, 11],
  [16, 14],
  [14, 12],
  [11, 12],
  [5, 11],
  [6, 12],
  [5, 6],
  [5, 7],
  [6, 8],
  [7, 9],
  [8, 10],
  [1, 2],
  [0, 1],
  [0, 2],
  [1, 3],
  [2, 4],
  [3, 5],
  [4, 6],
];
/** Keypoints less visible than this are not drawn (Ultralytics' Annotator.kpts conf_thres). */
export const KPT_VISIBLE = 0.25;

const hexRgb = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** Every mask of the run in one RGBA picture (COCO RLE: column-major runs, zeros first), as a PNG data URL. */
function masksPicture(dets: Shown[], w: number, h: number): string | null {
  const withMask = dets.filter((d) => d.mask && d.mask.size[0] === h && d.mask.size[1] === w);
  if (!withMask.length || typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(w, h);
  for (const d of withMask) {
    const [r, g, b] = hexRgb(BOX_COLORS[d.class % BOX_COLORS.length]);
    let at = 0;
    d.mask!.counts.forEach((n, k) => {
      if (k % 2)
        for (let j = at; j < at + n && j < w * h; j++) {
          // column-major index j -> pixel (x = j / h, y = j % h)
          const p = ((j % h) * w + Math.floor(j / h)) * 4;
          img.data[p] = r;
          img.data[p + 1] = g;
          img.data[p + 2] = b;
          img.data[p + 3] = 115;
        }
      at += n;
    });
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

export const BOX_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

export function RunImage({ url, result, className }: { url: string; result: RunSummary | null; className?: string }) {
  const [size, setSize] = useState<[number, number] | null>(null);
  const [w, h] = size ?? [result?.original[1] ?? 1, result?.original[0] ?? 1];
  const fontSize = Math.max(10, Math.round(Math.max(w, h) / 40));
  const stroke = Math.max(2, Math.max(w, h) / 300);
  const dets = result?.detections;
  const masks = useMemo(() => (dets ? masksPicture(dets, w, h) : null), [dets, w, h]);
  const { boxes, labels } = useMemo(() => {
    const boxes = (dets ?? []).map((d) => ({
      d,
      box: d.xyxy.map((v, i) => Math.max(0, Math.min(i % 2 ? h : w, v))) as Box,
      color: BOX_COLORS[d.class % BOX_COLORS.length],
      text: `${d.name ?? d.class} ${d.confidence.toFixed(2)}`,
    }));
    // a label's room: its text as measured in the label's font, a quarter of the font size either side
    const sizes = boxes.map((b) => ({
      width: measure(b.text, `600 ${fontSize}px ${LABEL_FONT}`) + 2 * LABEL_PAD * fontSize,
      height: fontSize * 1.25,
    }));
    const where = boxes.map((b) => b.box);
    const corners = boxes.map((b) => b.d.corners);
    return { boxes, labels: placeLabels(where, sizes, [w, h], stroke, corners) };
  }, [dets, w, h, fontSize, stroke]);
  return (
    <figure className={`run-image ${className ?? ''}`} aria-label="Run image">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label={`image with ${result?.detections.length ?? 0} boxes`}
      >
        <image href={url} x={0} y={0} width={w} height={h} />
        {masks && <image className="run-masks" aria-label="masks" href={masks} x={0} y={0} width={w} height={h} />}
        {boxes.map(({ d, box: [x1, y1, x2, y2], color }, k) => (
          <g key={k} aria-label={`box ${d.name ?? d.class} ${d.confidence.toFixed(2)}`}>
            {d.corners ? (
              <polygon
                className="run-obb"
                points={d.corners.map((p) => p.join(',')).join(' ')}
                fill="none"
                stroke={color}
                strokeWidth={stroke}
              />
            ) : (
              <rect x={x1} y={y1} width={x2 - x1} height={y2 - y1} fill="none" stroke={color} strokeWidth={stroke} />
            )}
            {d.keypoints && <Keypoints points={d.keypoints} radius={stroke * 1.5} />}
          </g>
        ))}
        {/* the labels over every box, so no box's outline runs across one */}
        {boxes.map(({ text, color }, k) => (
          <g key={k} className="box-label-group">
            <rect
              className="box-label-bg"
              x={labels[k].x}
              y={labels[k].y}
              width={labels[k].width}
              height={labels[k].height}
              fill={color}
            />
            <text
              className="box-label"
              x={labels[k].x + fontSize * LABEL_PAD}
              y={labels[k].y + fontSize}
              fill={labelTextColor(color)}
              fontFamily={LABEL_FONT}
              fontSize={fontSize}
              fontWeight={600}
            >
              {text}
            </text>
          </g>
        ))}
      </svg>
      <img
        src={url}
        alt=""
        hidden
        onLoad={(e) => setSize([e.currentTarget.naturalWidth, e.currentTarget.naturalHeight])}
      />
    </figure>
  );
}

/** One detection's keypoints, with the skeleton between visible ones when they are COCO's 17 [x, y, v]. */
function Keypoints({ points, radius }: { points: number[][]; radius: number }) {
  const visible = (p: number[]) => p.length < 3 || p[2] >= KPT_VISIBLE;
  const skeleton = points.length === 17 && points.every((p) => p.length === 3);
  return (
    <g className="run-keypoints" aria-label={`${points.filter(visible).length} keypoints`}>
      {skeleton &&
        COCO_SKELETON.filter(([a, b]) => visible(points[a]) && visible(points[b])).map(([a, b]) => (
          <line
            key={`${a}-${b}`}
            className="run-limb"
            x1={points[a][0]}
            y1={points[a][1]}
            x2={points[b][0]}
            y2={points[b][1]}
            stroke="#42d4f4"
            strokeWidth={radius * 0.8}
          />
        ))}
      {points.map((p, k) =>
        visible(p) ? (
          <circle key={k} className="run-kpt" cx={p[0]} cy={p[1]} r={radius} fill="#f58231" stroke="#fff" />
        ) : null,
      )}
    </g>
  );
}
