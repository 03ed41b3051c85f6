/**
 * A layer's output after a run: every channel as a small grey-scale image (scrollable), with value statistics.
 * Pinned maps stay while the model changes, so a C3 layer and its C3_Res2Block replacement can be looked at
 * side by side on the same image.
 */
import { useEffect, useMemo, useRef } from 'react';
import { create } from 'zustand';
import { useRunT } from './messages.ts';

export interface LayerOutput {
  i: number;
  shape: number[];
  data: Float32Array;
}

export function stats(d: Float32Array) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  for (const v of d) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (v === 0) zeros++;
  }
  const mean = sum / d.length;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(sq / d.length), zeros: zeros / d.length };
}

const MAX_CHANNELS = 256;

function Channel({ data, h, w, offset }: { data: Float32Array; h: number; w: number; offset: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < h * w; k++) {
      const v = data[offset + k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const img = ctx.createImageData(w, h);
    const span = hi - lo || 1;
    for (let k = 0; k < h * w; k++) {
      const g = Math.round((255 * (data[offset + k] - lo)) / span);
      img.data[4 * k] = img.data[4 * k + 1] = img.data[4 * k + 2] = g;
      img.data[4 * k + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [data, h, w, offset]);
  return <canvas ref={ref} width={w} height={h} />;
}

export interface PinnedMaps {
  layer: LayerOutput;
  module: string;
  /** Where they came from: the file and the time of the run. */
  source: string;
}

export const usePinnedMaps = create<{ pinned: PinnedMaps | null; pin(p: PinnedMaps | null): void }>((set) => ({
  pinned: null,
  pin: (pinned) => set({ pinned }),
}));

function MapsGrid({
  layer,
  module,
  label,
  title,
  extra,
}: {
  layer: LayerOutput;
  module: string;
  label: string;
  title: string;
  extra?: React.ReactNode;
}) {
  const [, c, h, w] = layer.shape;
  const s = useMemo(() => stats(layer.data), [layer]);
  const shown = Math.min(c, MAX_CHANNELS);
  return (
    <section className="feature-maps" aria-label={label}>
      <h3>
        {title} layer {layer.i} {module}: {c} x {h} x {w} {extra}
      </h3>
      <p className="fm-stats" aria-label="Value statistics">
        min {s.min.toFixed(3)} · max {s.max.toFixed(3)} · mean {s.mean.toFixed(3)} · std {s.std.toFixed(3)} · zeros{' '}
        {(100 * s.zeros).toFixed(1)}%{shown < c ? ` · first ${shown} of ${c} channels` : ''}
      </p>
      <div className="fm-grid">
        {Array.from({ length: shown }, (_, k) => (
          <figure key={k} title={`channel ${k}`}>
            <Channel data={layer.data} h={h} w={w} offset={k * h * w} />
            <figcaption>{k}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

export function FeatureMaps({ layer, module, source }: { layer: LayerOutput; module: string; source: string }) {
  const t = useRunT();
  const pinned = usePinnedMaps((s) => s.pinned);
  const pin = usePinnedMaps((s) => s.pin);
  const isPinned = pinned?.layer === layer;
  return (
    <div className={pinned && !isPinned ? 'fm-compare' : undefined}>
      <MapsGrid
        layer={layer}
        module={module}
        label={`Feature maps layer ${layer.i}`}
        title=""
        extra={
          <button
            className="link"
            title={t('pinHint')}
            onClick={() => pin(isPinned ? null : { layer, module, source })}
          >
            {isPinned ? t('unpin') : t('pin')}
          </button>
        }
      />
      {pinned && !isPinned && (
        <MapsGrid
          layer={pinned.layer}
          module={pinned.module}
          label={`Pinned feature maps layer ${pinned.layer.i}`}
          title={`${t('pinned')} (${pinned.source}):`}
          extra={
            <button className="link" onClick={() => pin(null)}>
              {t('unpin')}
            </button>
          }
        />
      )}
    </div>
  );
}
