/**
 * The run panel: build the edited network in TensorFlow.js (in a worker) and run an image on it, showing
 * the image with boxes, a detections table, output shapes, total and per-layer time, and the backend.
 */
import { librarySources } from '../modules/library.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { hasErrors } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { RunClient, RunError } from './client.ts';
import { useRunT } from './messages.ts';
import type { RunSummary } from './protocol.ts';
import './run.css';
import { FeatureMaps } from './FeatureMaps.tsx';
import { useOpenedWeights } from './opened-weights.ts';
import demoWeightsUrl from '../../configs/demo/weights.safetensors?url';
import demoSampleUrl from '../../configs/demo/sample.png?url';

const DEMO_FILE = 'demo-shapes.yaml';
const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

type WeightsChoice = { kind: 'random' } | { kind: 'demo' } | { kind: 'file'; name: string; bytes: Uint8Array };

let sharedClient: RunClient | null = null;
const client = () => (sharedClient ??= new RunClient());

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

export function RunPanel() {
  const t = useRunT();
  const file = useEditor((s) => s.file);
  const text = useEditor((s) => s.text);
  const imgsz = useEditor((s) => s.imgsz);
  const errors = useEditor((s) => hasErrors(s.analysis.diagnostics));
  const classNames = useEditor((s) => s.classNames);
  const selected = useEditor((s) => s.selected);
  const selectedModule = useEditor((s) => (s.selected !== null ? (s.analysis.layers[s.selected]?.module ?? '') : ''));
  const isDemo = file.name === DEMO_FILE;
  const opened = useOpenedWeights((s) => s.weights);

  const [image, setImage] = useState<{ name: string; blob: Blob; url: string } | null>(null);
  const [weights, setWeights] = useState<WeightsChoice>({ kind: isDemo ? 'demo' : 'random' });
  const [mode, setMode] = useState<'strict' | 'transfer'>('strict');
  const [conf, setConf] = useState(0.25);
  const [iou, setIou] = useState(0.45);
  const [stage, setStage] = useState<string | null>(null);
  const [result, setResult] = useState<RunSummary | null>(null);
  const [runAt, setRunAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const imgRef = useRef<HTMLInputElement>(null);
  const wRef = useRef<HTMLInputElement>(null);

  // a .pt opens with its own weights
  useEffect(() => {
    if (opened) setWeights({ kind: 'file', name: opened.name, bytes: opened.bytes });
  }, [opened]);

  // the demo template opens with its weights and its sample image
  useEffect(() => {
    setResult(null);
    setError(null);
    if (!isDemo) {
      setWeights((w) => (w.kind === 'demo' ? { kind: 'random' } : w));
      return;
    }
    useOpenedWeights.getState().set(null);
    setWeights({ kind: 'demo' });
    let alive = true;
    void fetch(demoSampleUrl)
      .then((r) => r.blob())
      .then((blob) => alive && setImage({ name: 'sample.png', blob, url: demoSampleUrl }));
    return () => {
      alive = false;
    };
  }, [isDemo]);

  const chooseImage = (f: File | undefined) => {
    if (!f) return;
    if (!/^image\/(png|jpeg)$/.test(f.type) && !/\.(png|jpe?g)$/i.test(f.name)) {
      setError(`${f.name}: choose a PNG or JPEG image`);
      return;
    }
    setImage({ name: f.name, blob: f, url: URL.createObjectURL(f) });
    setResult(null);
  };

  const run = async () => {
    if (!image || errors) return;
    setError(null);
    setResult(null);
    try {
      const bytes =
        weights.kind === 'demo' ? await fetchBytes(demoWeightsUrl) : weights.kind === 'file' ? weights.bytes : null;
      const r = await client().run(
        {
          text,
          file: file.name,
          libraries: librarySources(),
          imgsz,
          weights: bytes,
          weightsKey: weights.kind === 'file' ? `file:${weights.name}:${weights.bytes.length}` : weights.kind,
          weightsMode: mode,
          // the weights fit the model as it was opened (or when they were chosen): move them with the edits
          ...(mode === 'transfer' && bytes ? { map: editorStore.getState().lineage.map((v) => v ?? -1) } : {}),
          names: classNames ?? undefined,
          image: image.blob,
          conf,
          iou,
          timing: true,
          layerOutputs: true,
          prefer: ['webgl', 'wasm', 'cpu'],
        },
        (s) => setStage(s),
      );
      setResult(r);
      setRunAt(new Date().toLocaleTimeString());
    } catch (e) {
      setError(e instanceof RunError && e.kind === 'cancelled' ? t('cancelled') : (e as Error).message);
    } finally {
      setStage(null);
    }
  };

  const maxLayerMs = useMemo(() => Math.max(1e-6, ...(result?.timings.map((x) => x.ms) ?? [0])), [result]);

  return (
    <section
      className="pane run"
      aria-label="Run"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const f = e.dataTransfer.files?.[0];
        if (f && /\.(png|jpe?g)$/i.test(f.name)) {
          e.preventDefault();
          e.stopPropagation();
          chooseImage(f);
        }
      }}
    >
      <h2 className="pane-title">{t('run')}</h2>
      <div className="run-controls">
        <button
          type="button"
          onClick={() => void run()}
          disabled={!image || errors || !!stage}
          aria-label="Run network"
        >
          {t('run')}
        </button>
        {stage && (
          <button type="button" onClick={() => client().cancel()} aria-label="Cancel run">
            {t('cancel')}
          </button>
        )}
        <label>
          {t('image')}{' '}
          <button type="button" onClick={() => imgRef.current?.click()} aria-label="Choose image">
            {image ? image.name : t('chooseImage')}
          </button>
        </label>
        <input
          ref={imgRef}
          type="file"
          accept="image/png,image/jpeg"
          hidden
          aria-label="image file"
          onChange={(e) => chooseImage(e.target.files?.[0])}
        />
        <label>
          {t('weights')}{' '}
          <select
            aria-label="Weights"
            value={weights.kind}
            onChange={(e) => {
              const v = e.target.value;
              if (v === 'file') wRef.current?.click();
              else setWeights({ kind: v as 'random' | 'demo' });
            }}
          >
            <option value="random">{t('random')}</option>
            {isDemo && <option value="demo">{t('demoWeights')}</option>}
            <option value="file">{weights.kind === 'file' ? weights.name : t('openWeights')}</option>
          </select>
        </label>
        <input
          ref={wRef}
          type="file"
          accept=".safetensors"
          hidden
          aria-label="weights file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) {
              setWeights({ kind: 'file', name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
              editorStore.getState().resetLineage();
            }
          }}
        />
        <select
          aria-label="Loading mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as 'strict' | 'transfer')}
          disabled={weights.kind === 'random'}
        >
          <option value="strict">{t('strict')}</option>
          <option value="transfer">{t('transfer')}</option>
        </select>
        <label>
          {t('conf')}{' '}
          <input
            aria-label="Confidence threshold"
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={conf}
            onChange={(e) => setConf(Number(e.target.value))}
          />
        </label>
        <label>
          {t('iou')}{' '}
          <input
            aria-label="IoU threshold"
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={iou}
            onChange={(e) => setIou(Number(e.target.value))}
          />
        </label>
      </div>
      <div className="run-body">
        {errors && <p className="empty">{t('fixErrors')}</p>}
        {!image && <p className="empty">{t('noImage')}</p>}
        {stage && (
          <p className="run-stage" role="status">
            {t(`stage_${stage}` as 'stage_run')}
          </p>
        )}
        {error && (
          <p className="run-error" role="alert">
            {error}
          </p>
        )}
        {image && <RunImage url={image.url} result={result} />}
        {result && selected !== null && result.layers?.find((l) => l.i === selected) && (
          <FeatureMaps
            layer={result.layers.find((l) => l.i === selected)!}
            module={selectedModule}
            source={`${file.name}, ${runAt}`}
          />
        )}
        {result && result.layers?.length && selected === null ? <p className="empty">{t('pickLayer')}</p> : null}
        {result && <RunResult result={result} maxLayerMs={maxLayerMs} />}
      </div>
    </section>
  );
}

function RunImage({ url, result }: { url: string; result: RunSummary | null }) {
  const [size, setSize] = useState<[number, number] | null>(null);
  const [w, h] = size ?? [result?.original[1] ?? 1, result?.original[0] ?? 1];
  return (
    <figure className="run-image" aria-label="Run image">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`image with ${result?.detections.length ?? 0} boxes`}>
        <image href={url} x={0} y={0} width={w} height={h} />
        {result?.detections.map((d, k) => {
          const [x1, y1, x2, y2] = d.xyxy;
          const c = COLORS[d.class % COLORS.length];
          return (
            <g key={k} aria-label={`box ${d.name ?? d.class} ${d.confidence.toFixed(2)}`}>
              <rect
                x={x1}
                y={y1}
                width={x2 - x1}
                height={y2 - y1}
                fill="none"
                stroke={c}
                strokeWidth={Math.max(2, w / 300)}
              />
              <text x={x1 + 2} y={Math.max(12, y1 - 4)} fill={c} fontSize={Math.max(12, w / 45)} fontWeight={600}>
                {`${d.name ?? d.class} ${d.confidence.toFixed(2)}`}
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

function RunResult({ result, maxLayerMs }: { result: RunSummary; maxLayerMs: number }) {
  const t = useRunT();
  return (
    <div className="run-result">
      <p className="run-meta" aria-label="Run summary">
        {t('backend')}: <strong aria-label="backend">{result.backend}</strong>
        {result.fallback ? ` (${result.fallback})` : ''} · {t('time')}:{' '}
        <strong aria-label="run time">{result.ms.toFixed(0)} ms</strong> (forward {result.forwardMs.toFixed(0)} ms) ·{' '}
        {result.weights} · input {result.input[1]}x{result.input[0]}
      </p>
      <h3>{t('detections')}</h3>
      {result.detections.length ? (
        <table aria-label="Detections">
          <thead>
            <tr>
              <th>{t('class')}</th>
              <th>{t('confidence')}</th>
              <th>{t('box')}</th>
            </tr>
          </thead>
          <tbody>
            {result.detections.map((d, k) => (
              <tr key={k}>
                <td>{d.name ?? d.class}</td>
                <td>{d.confidence.toFixed(3)}</td>
                <td>{d.xyxy.map((v) => v.toFixed(0)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">{t('none')}</p>
      )}
      <h3>{t('outputs')}</h3>
      <ul aria-label="Output shapes">
        {result.outputs.map((o) => (
          <li key={o.name}>
            {o.name}: [{o.shape.join(', ')}]
          </li>
        ))}
      </ul>
      {result.timings.length > 0 && (
        <>
          <h3>{t('layerTimes')}</h3>
          <ol className="layer-times" aria-label="Layer times">
            {result.timings.map((x) => (
              <li key={x.i} title={`${x.ms.toFixed(2)} ms`}>
                <span className="lt-label">
                  {x.i} {x.module}
                </span>
                <span className="lt-bar" style={{ width: `${(100 * x.ms) / maxLayerMs}%` }} />
                <span className="lt-ms">{x.ms.toFixed(1)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
