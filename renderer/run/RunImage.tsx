/**
 * The run's image with its boxes: scaled to fit its container, every box and label drawn inside the
 * image (a label near the top edge goes inside its box, one near the right edge shifts left).
 */
import { useState } from 'react';
import type { RunSummary } from './protocol.ts';

export const BOX_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

/** Where a box's label goes, in image pixels: inside the image whatever the box. */
export function labelPlacement(
  box: [number, number, number, number],
  text: string,
  image: [number, number],
  fontSize: number,
): { x: number; y: number; width: number; height: number } {
  const [w, h] = image;
  const [x1, y1] = box;
  const width = Math.min(w, text.length * fontSize * 0.62 + fontSize * 0.5);
  const height = fontSize * 1.25;
  const x = Math.max(0, Math.min(x1, w - width));
  // above the box when it fits there, else just inside its top edge
  const above = y1 - height;
  const y = above >= 0 ? above : Math.max(0, Math.min(y1, h - height));
  return { x, y, width, height };
}

export function RunImage({ url, result, className }: { url: string; result: RunSummary | null; className?: string }) {
  const [size, setSize] = useState<[number, number] | null>(null);
  const [w, h] = size ?? [result?.original[1] ?? 1, result?.original[0] ?? 1];
  const fontSize = Math.max(10, Math.round(Math.max(w, h) / 40));
  return (
    <figure className={`run-image ${className ?? ''}`} aria-label="Run image">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-label={`image with ${result?.detections.length ?? 0} boxes`}
      >
        <image href={url} x={0} y={0} width={w} height={h} />
        {result?.detections.map((d, k) => {
          const [x1, y1, x2, y2] = d.xyxy.map((v, i) => Math.max(0, Math.min(i % 2 ? h : w, v)));
          const c = BOX_COLORS[d.class % BOX_COLORS.length];
          const text = `${d.name ?? d.class} ${d.confidence.toFixed(2)}`;
          const l = labelPlacement([x1, y1, x2, y2], text, [w, h], fontSize);
          return (
            <g key={k} aria-label={`box ${d.name ?? d.class} ${d.confidence.toFixed(2)}`}>
              <rect
                x={x1}
                y={y1}
                width={x2 - x1}
                height={y2 - y1}
                fill="none"
                stroke={c}
                strokeWidth={Math.max(2, Math.max(w, h) / 300)}
              />
              <rect className="box-label-bg" x={l.x} y={l.y} width={l.width} height={l.height} fill={c} />
              <text
                className="box-label"
                x={l.x + fontSize * 0.25}
                y={l.y + fontSize}
                fill="#fff"
                fontSize={fontSize}
                fontWeight={600}
              >
                {text}
              </text>
            </g>
          );
        })}
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
