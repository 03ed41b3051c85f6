/**
 * The run panel: build the edited network in TensorFlow.js (in a worker) and run an image on it. The
 * network is built and run once in the background when the panel opens and whenever the model changes
 * (debounced; a newer change supersedes it), so pressing Run costs one forward pass. Progress shows the
 * stage and, where layers are counted, a bar. The result opens in its own large view (RunResultView).
 *
 * One component on purpose: the panel's background build, progress, run and result are one state machine.
 */
import { librarySources } from '../modules/library.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, hasErrors, msg, type Message } from '../../src/core/index.ts';
import type { BackendName } from '../../src/runtime/backend.ts';
import { PREDICT_DEFAULTS } from '../../src/runtime/predict-defaults.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import { BackendLine, SkippedLine } from './BackendLine.tsx';
import { RunClient, RunError } from './client.ts';
import { useRunT } from './messages.ts';
import { useMessageText } from '../messages.ts';
import type { ModelRequest, Progress, RunSummary, WarmSummary } from './protocol.ts';
import { RunImage } from './RunImage.tsx';
import { RunResultView } from './RunResultView.tsx';
import './run.css';
import { useOpenedWeights } from './opened-weights.ts';
import demoWeightsUrl from '../../configs/demo/weights.safetensors?url';
import demo11WeightsUrl from '../../configs/demo/weights-11.safetensors?url';
import demoSampleUrl from '../../configs/demo/sample.png?url';
import { useProvideCommands } from '../chrome/command-targets.ts';
import { getHost } from '../host/index.ts';

const imageType = (name: string) => (/\.png$/i.test(name) ? 'image/png' : 'image/jpeg');

/** The demo templates (by file name): their trained weights and the sample image they open with. */
const DEMOS: Record<string, { weights: string; sample: string }> = {
  'demo-shapes.yaml': { weights: demoWeightsUrl, sample: demoSampleUrl },
  'demo-yolo11n-shapes.yaml': { weights: demo11WeightsUrl, sample: demoSampleUrl },
};
/** Quiet time after the last change before the background warm-up starts. */
const WARM_DELAY_MS = 700;

type WeightsChoice = { kind: 'random' } | { kind: 'demo' } | { kind: 'file'; name: string; bytes: Uint8Array };
type BackendChoice = 'auto' | BackendName;

/**
 * The backends to try for a choice: the chosen one first, then wasm and cpu so a run always happens (and says why).
 * 'auto' also skips a software-rendered GPU (the request's avoidSoftware): on SwiftShader or llvmpipe tfjs-wasm is
 * faster, and a long warm-up on WebGL would hold the GPU process so the canvas draws no frame.
 */
export function preferFor(choice: BackendChoice): BackendName[] {
  if (choice === 'auto') return ['webgpu', 'webgl', 'wasm', 'cpu'];
  return [...new Set<BackendName>([choice, 'wasm', 'cpu'])];
}

let sharedClient: RunClient | null = null;
const client = () => (sharedClient ??= new RunClient());

const demoBytes = new Map<string, Promise<Uint8Array>>();
const cachedBytes = (url: string) => {
  let p = demoBytes.get(url);
  if (!p) demoBytes.set(url, (p = fetchBytes(url)));
  return p;
};

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

interface Activity {
  kind: 'run' | 'warm';
  progress: Progress;
}

/** A threshold from 0 to 1 in steps of 0.05 (NMS's confidence and IoU), its words before it. */
function Threshold(p: { label: string; name: string; value: number; set: (v: number) => void }) {
  return (
    <label>
      {p.label}{' '}
      <input
        aria-label={p.name}
        type="number"
        min={0}
        max={1}
        step={0.05}
        value={p.value}
        onChange={(e) => p.set(Number(e.target.value))}
      />
    </label>
  );
}

export function RunPanel() {
  const t = useRunT();
  const words = useMessageText();
  const file = useEditor((s) => s.file);
  const text = useEditor((s) => s.text);
  const imgsz = useEditor((s) => s.imgsz);
  const errors = useEditor((s) => hasErrors(s.analysis.diagnostics));
  const stale = useEditor((s) => s.stale);
  const appT = useT();
  const family = useEditor((s) => s.analysis.family.id);
  const classNames = useEditor((s) => s.classNames);
  const lineage = useEditor((s) => s.lineage);
  const demo = Object.hasOwn(DEMOS, file.name) ? DEMOS[file.name] : undefined;
  const isDemo = !!demo;
  const opened = useOpenedWeights((s) => s.weights);

  const [image, setImage] = useState<{ name: string; blob: Blob; url: string } | null>(null);
  const [weights, setWeights] = useState<WeightsChoice>({ kind: isDemo ? 'demo' : 'random' });
  const [mode, setMode] = useState<'strict' | 'transfer'>('strict');
  const [backend, setBackend] = useState<BackendChoice>('auto');
  const [conf, setConf] = useState(PREDICT_DEFAULTS[family].conf);
  // each family's own default IoU threshold (YOLOv5's detect.py 0.45, Ultralytics' predictor 0.7)
  const [iou, setIou] = useState(PREDICT_DEFAULTS[family].iou);
  useEffect(() => setIou(PREDICT_DEFAULTS[family].iou), [family]);
  const [activity, setActivity] = useState<Activity | null>(null);
  const [warmed, setWarmed] = useState<WarmSummary | null>(null);
  const [warmError, setWarmError] = useState<Message | null>(null);
  const [result, setResult] = useState<RunSummary | null>(null);
  const [resultSource, setResultSource] = useState('');
  const [viewOpen, setViewOpen] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const imgRef = useRef<HTMLInputElement>(null);
  const wRef = useRef<HTMLInputElement>(null);
  const running = activity?.kind === 'run';

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
    const sample = demo!.sample;
    void fetch(sample)
      .then((r) => r.blob())
      .then((blob) => alive && setImage({ name: 'sample.png', blob, url: sample }));
    return () => {
      alive = false;
    };
  }, [isDemo, demo]);

  /** Everything the worker builds the network from, as it is now. */
  const modelRequest = useCallback(async (): Promise<Omit<ModelRequest, 'id'>> => {
    const bytes =
      weights.kind === 'demo' && demo
        ? await cachedBytes(demo.weights)
        : weights.kind === 'file'
          ? weights.bytes
          : null;
    return {
      text,
      file: file.name,
      libraries: librarySources(),
      imgsz,
      weights: bytes,
      weightsKey:
        weights.kind === 'file'
          ? `file:${weights.name}:${weights.bytes.length}`
          : weights.kind === 'demo'
            ? `demo:${file.name}`
            : weights.kind,
      weightsMode: mode,
      // the weights fit the model as it was opened (or when they were chosen): move them with the edits
      ...(mode === 'transfer' && bytes ? { map: lineage.map((v) => v ?? -1) } : {}),
      names: classNames ?? undefined,
      prefer: preferFor(backend),
      avoidSoftware: backend === 'auto',
    };
  }, [text, file.name, imgsz, weights, mode, lineage, classNames, backend, demo]);

  // warm up in the background when the panel opens and after each change of the model (debounced)
  useEffect(() => {
    setWarmed(null);
    setWarmError(null);
    if (errors) return;
    let alive = true;
    const timer = setTimeout(async () => {
      if (!alive || client().busy) return;
      try {
        const req = await modelRequest();
        if (!alive) return;
        setActivity({ kind: 'warm', progress: { stage: 'backend' } });
        const w = await client().warm(
          req,
          (p) => alive && setActivity((a) => (a?.kind === 'run' ? a : { kind: 'warm', progress: p })),
        );
        if (alive) setWarmed(w);
      } catch (e) {
        if (alive && !(e instanceof RunError && (e.kind === 'skipped' || e.kind === 'cancelled')))
          setWarmError(errorMessage(e));
      } finally {
        if (alive) setActivity((a) => (a?.kind === 'warm' ? null : a));
      }
    }, WARM_DELAY_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
      setActivity((a) => (a?.kind === 'warm' ? null : a));
    };
  }, [modelRequest, errors]);

  const chooseImage = (f: File | undefined) => {
    if (!f) return;
    if (!/^image\/(png|jpeg)$/.test(f.type) && !/\.(png|jpe?g)$/i.test(f.name)) {
      setError(msg('run.not-an-image', { file: f.name }));
      return;
    }
    setImage({ name: f.name, blob: f, url: URL.createObjectURL(f) });
    setResult(null);
  };

  const run = async () => {
    if (!image || errors) return;
    setError(null);
    setResult(null);
    setViewOpen(false);
    setActivity({ kind: 'run', progress: { stage: 'backend' } });
    try {
      const r = await client().run(
        { ...(await modelRequest()), image: image.blob, conf, iou, timing: true, layerOutputs: true },
        (p) => setActivity({ kind: 'run', progress: p }),
      );
      setResult(r);
      setResultSource(`${file.name}, ${new Date().toLocaleTimeString()}`);
      setViewOpen(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setActivity(null);
    }
  };

  // the desktop asks main for the file (a menu command is no user gesture for the page's own chooser)
  const pickImage = () => {
    const host = getHost();
    if (!host.pickImage) return imgRef.current?.click();
    void host.pickImage().then((f) => {
      if (f) chooseImage(new File([f.bytes as Uint8Array<ArrayBuffer>], f.name, { type: imageType(f.name) }));
    });
  };
  // Run > Run (F5) and Run > Choose Image (Ctrl+I); Run without an image asks for one
  useProvideCommands({ run: () => (image ? void run() : pickImage()), chooseImage: pickImage });

  const p = activity?.progress;
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
          disabled={!image || errors || running}
          aria-label="Run network"
        >
          {t('run')}
        </button>
        <button type="button" onClick={() => client().cancel()} disabled={!activity} aria-label="Cancel run">
          {t('cancel')}
        </button>
        <label>
          {t('image')}{' '}
          <button type="button" onClick={pickImage} aria-label="Choose image">
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
          {t('backendChoice')}{' '}
          <select
            aria-label="Backend"
            title={t('auto')}
            value={backend}
            onChange={(e) => setBackend(e.target.value as BackendChoice)}
          >
            <option value="auto">auto</option>
            <option value="webgpu">WebGPU</option>
            <option value="webgl">WebGL</option>
            <option value="wasm">wasm</option>
            <option value="cpu">cpu</option>
          </select>
        </label>
        <Threshold label={t('conf')} name="Confidence threshold" value={conf} set={setConf} />
        <Threshold label={t('iou')} name="IoU threshold" value={iou} set={setIou} />
      </div>
      <div className="run-body">
        {errors && <p className="empty">{t('fixErrors')}</p>}
        {!image && <p className="empty">{t('noImage')}</p>}
        {p && activity && (
          <div
            className={`run-progress ${activity.kind}`}
            role="status"
            aria-label={activity.kind === 'warm' ? 'Warm-up' : 'Run progress'}
          >
            <span>
              {activity.kind === 'warm' ? `${t('warming')}: ` : ''}
              {t(`stage_${p.stage}`)}
              {p.total ? ` ${p.done ?? 0}/${p.total} ${t('layers')}` : ''}
            </span>
            <progress
              aria-label={activity.kind === 'warm' ? 'Warm-up progress' : 'Progress'}
              max={p.total ?? undefined}
              value={p.total ? (p.done ?? 0) : undefined}
            />
          </div>
        )}
        {!activity && warmed && !errors && (
          <>
            <p className="run-ready" role="status" aria-label="Warm-up">
              {t('warmed', {
                backend: `${warmed.backend}${warmed.threads ? ` (${warmed.threads === 1 ? t('thread') : t('threads', { n: warmed.threads })})` : ''}`,
                ms: `${((warmed.buildMs + warmed.firstMs) / 1000).toFixed(1)} s`,
              })}
            </p>
            <SkippedLine skipped={warmed.skipped} label="Warm-up fallbacks" />
          </>
        )}
        {!activity && warmError && <p className="run-error">{t('warmFailed', { message: words(warmError) })}</p>}
        {error && (
          <p className="run-error" role="alert">
            {words(error)}
          </p>
        )}
        {result && (
          <>
            <BackendLine result={result} />
            <p className="run-actions">
              <strong>
                {result.probs?.length
                  ? `${result.probs[0].name ?? result.probs[0].class} ${(result.probs[0].confidence * 100).toFixed(1)}%`
                  : t('nDetections', { n: result.detections.length })}
              </strong>{' '}
              {/* the YAML does not parse now: this result is of the last readable model */}
              {stale && <span className="stale-mark">{appT('stale')}</span>}
              <button type="button" onClick={() => setViewOpen(true)} aria-label="Open run result">
                {t('openResult')}
              </button>
            </p>
          </>
        )}
        {image && <RunImage url={image.url} result={result} className="run-thumb" />}
      </div>
      {viewOpen && result && image && (
        <RunResultView result={result} imageUrl={image.url} source={resultSource} onClose={() => setViewOpen(false)} />
      )}
    </section>
  );
}
