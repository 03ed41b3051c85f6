/**
 * The module editor: a user's own module as a small graph of existing modules and primitives. Arguments and
 * hidden widths (Python integer expressions) on the left, the inside on the canvas (wire by dragging from a
 * node's bottom handle to another's top), the selected node's fields and a live trial (parameters, GFLOPs,
 * output shape, problems) on the right, and the module's YAML below. Save writes it to a library file; the
 * palette then offers it, and the model uses it like any module.
 *
 * One file on purpose: its panels (arguments, the node's fields, the new node, the trial, the YAML) are small
 * components sharing the module editor's store and selection, written in the order they appear on screen.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import {
  joinMessages,
  MessageError,
  moduleYaml,
  msg,
  parseModuleLibrary,
  shapeText,
  thousands,
  yamlProblem,
  type ModuleSpec,
  type ModuleNode,
  type Diagnostic,
  CATEGORIES,
  CATEGORY_NAMES,
  categoryColor,
  textIn,
  type Category,
} from '../../src/core/index.ts';
import { layoutGroups } from '../canvas/layout.ts';
import { useFlowNodes } from '../canvas/flow-nodes.ts';
import { CommitField } from '../panels/Inspector.tsx';
import { useLang, useT } from '../i18n.ts';
import { useMessageText } from '../messages.ts';
import { useEditor } from '../store/editor.ts';
import { useLibrary } from './library.ts';
import { draftLibraries, saveModule } from './actions.ts';
import { moduleEditorStore, runTrial, useModuleEditor, type TrialInput } from './module-editor.ts';
import {
  INPUT_PREFIX,
  PRIMITIVES,
  argsText,
  moduleGraph,
  parseArgsText,
  parseInputsText,
  type ModuleGraphNode,
} from './module-graph.ts';
import './modules.css';

const W = 200;
const H = 56;
/** Categories a module may take, custom first. */
const CATEGORY_CHOICES: Category[] = ['custom', ...CATEGORY_NAMES.filter((c) => c !== 'custom')];

const perform = (...args: Parameters<ReturnType<typeof moduleEditorStore.getState>['perform']>) =>
  moduleEditorStore.getState().perform(...args);

/** The inspector's field: commits on Enter or blur, Esc shows the value again; empty is a value here. */
function Field(props: {
  label: string;
  value: string;
  onCommit(v: string): boolean | void;
  placeholder?: string;
  className?: string;
  list?: string;
}) {
  return <CommitField {...props} mono={false} allowEmpty />;
}

const NO_VALUES: Record<string, number[]> = {};

/** A node's output in the trial: its value's shape (a split's parts listed), or nothing when unknown. */
function shapeOf(
  n: ModuleGraphNode,
  spec: ModuleSpec,
  values: Record<string, number[]>,
  c1: number,
  hw: number,
): string {
  if (n.index === null) return spec.inputs && spec.inputs.length > 1 ? '' : shapeText([c1, hw, hw]);
  const id = spec.body[n.index]?.id;
  if (!id) return '';
  if (values[id]) return shapeText(values[id]);
  const parts = Object.keys(values).filter((k) => k.startsWith(`${id}.`));
  return parts.map((k) => shapeText(values[k])).join(' | ');
}

const BodyNode = memo(function BodyNode({
  data,
  selected,
}: NodeProps<Node<ModuleGraphNode & { shape: string } & Record<string, unknown>>>) {
  return (
    <div
      className={`module-node${selected ? ' selected' : ''}${data.index === null ? ' module-input' : ''}${data.out ? ' module-out' : ''}`}
    >
      {data.index !== null && <Handle type="target" position={Position.Top} />}
      <div className="module-node-title">{data.title}</div>
      <div className="module-node-detail">{data.detail}</div>
      {data.shape && (
        <div className="module-node-shape" aria-label="node output shape">
          {data.shape}
        </div>
      )}
      {data.out && <span className="module-out-badge">output</span>}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
const nodeTypes = { body: BodyNode };

type TrialInputs = readonly [ModuleSpec, 'user' | 'model', string | null, TrialInput, number];
type TrialResult = {
  draft: ReturnType<typeof draftLibraries>;
  errors: Diagnostic[];
  trial: ReturnType<typeof runTrial> | null;
};
let lastTrial: { inputs: TrialInputs; result: TrialResult } | null = null;

/**
 * The draft module read with the libraries, and tried alone: computed once per change of the module, the
 * trial's input or the libraries (the canvas and the trial panel both read it).
 */
function useTrial(): TrialResult {
  const inputs: TrialInputs = [
    useModuleEditor((s) => s.spec),
    useModuleEditor((s) => s.target),
    useModuleEditor((s) => s.original),
    useModuleEditor((s) => s.trial),
    useLibrary((s) => s.version),
  ];
  if (!lastTrial || lastTrial.inputs.some((v, k) => v !== inputs[k])) {
    const [spec, target, original, trial] = inputs;
    const d = draftLibraries(spec, target, original);
    const errors = d.diagnostics.filter((x) => x.severity === 'error');
    lastTrial = {
      inputs,
      result: { draft: d, errors, trial: errors.length ? null : runTrial(spec, d.registry, trial) },
    };
  }
  return lastTrial.result;
}

function ModuleCanvas() {
  const spec = useModuleEditor((s) => s.spec);
  const selected = useModuleEditor((s) => s.selected);
  const g = useMemo(() => moduleGraph(spec), [spec]);
  const trialValues = useTrial().trial?.values;
  const trialIn = useModuleEditor((s) => s.trial);
  const [pos, setPos] = useState<Record<string, { x: number; y: number }>>({});
  const { fitView } = useReactFlow();
  const shapeKey = g.nodes.map((n) => n.id).join() + '|' + g.edges.map((e) => e.id).join();
  // the structure last laid out and fitted: until it is this one, nodes are about to move (aria-busy)
  const [laidOut, setLaidOut] = useState('');
  useEffect(() => {
    let cancelled = false;
    void layoutGroups(
      g.nodes.map((n) => ({ id: n.id, width: W, height: H, group: 'all' })),
      g.edges.map((e) => ({ source: e.source, target: e.target })),
    ).then((p) => {
      if (cancelled) return;
      setPos(p);
      requestAnimationFrame(() => {
        if (cancelled) return;
        void fitView({ padding: 0.15, maxZoom: 1.2 });
        setLaidOut(shapeKey);
      });
    });
    return () => {
      cancelled = true;
    };
    // layout when the structure changes, not on every field edit
  }, [shapeKey, fitView]);
  const values = trialValues ?? NO_VALUES;
  const derived = useMemo<Node[]>(
    () =>
      g.nodes.map((n, k) => ({
        id: n.id,
        type: 'body',
        position: pos[n.id] ?? { x: 0, y: k * (H + 30) },
        data: { ...n, shape: shapeOf(n, spec, values, trialIn.c1, trialIn.hw) } as unknown as Record<string, unknown>,
        selected: n.index !== null && n.index === selected,
        ariaLabel: `node ${n.title}`,
      })),
    [g, pos, spec, values, trialIn, selected],
  );
  const onChange = useCallback((changes: NodeChange[]) => {
    for (const c of changes) if (c.type === 'position' && c.position) setPos((p) => ({ ...p, [c.id]: c.position! }));
  }, []);
  const { nodes, onNodesChange } = useFlowNodes(derived, onChange);
  const edges: Edge[] = g.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    data: { targetIndex: e.targetIndex, value: e.value, implicit: e.implicit },
    style: e.implicit ? { strokeDasharray: '4 3' } : undefined,
    label: e.value.includes('.') ? e.value : undefined,
    deletable: !e.implicit,
  }));
  const valueOf = (nodeId: string) =>
    nodeId.startsWith(INPUT_PREFIX)
      ? nodeId.slice(INPUT_PREFIX.length)
      : (spec.body[Number(nodeId.slice(1))]?.id ?? '');
  return (
    <ReactFlow
      aria-busy={laidOut !== shapeKey}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      proOptions={{ hideAttribution: true }}
      minZoom={0.1}
      nodesDraggable
      onNodesChange={onNodesChange}
      onNodeClick={(_, n) => moduleEditorStore.getState().select((n.data as unknown as ModuleGraphNode).index)}
      onPaneClick={() => moduleEditorStore.getState().select(null)}
      onConnect={(c: Connection) => {
        if (!c.source || !c.target || c.target.startsWith(INPUT_PREFIX)) return;
        perform({ type: 'connect', source: valueOf(c.source), target: Number(c.target.slice(1)) });
      }}
      onEdgesDelete={(es) => {
        for (const e of es) {
          const d = e.data as { targetIndex: number; value: string; implicit: boolean };
          if (!d.implicit) perform({ type: 'disconnect', source: d.value, target: d.targetIndex });
        }
      }}
      onNodesDelete={(ns) => {
        const idx = ns
          .map((n) => (n.data as unknown as ModuleGraphNode).index)
          .filter((i): i is number => i !== null)
          .sort((a, b) => b - a);
        for (const i of idx) perform({ type: 'removeNode', index: i });
        moduleEditorStore.getState().select(null);
      }}
      deleteKeyCode={['Delete', 'Backspace']}
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

function ArgsPanel() {
  const t = useT();
  const spec = useModuleEditor((s) => s.spec);
  return (
    <section className="module-section" aria-label={t('moduleArgs')}>
      <h3>{t('moduleArgs')}</h3>
      <p className="hint">{t('moduleArgsHint')}</p>
      {spec.args.map((a, k) => (
        <div className="module-row" key={`${k}-${a.name}`}>
          <Field
            label={`argument ${k + 1} name`}
            value={a.name}
            onCommit={(v) => perform({ type: 'setArg', index: k, arg: { name: v.trim(), default: a.default } })}
          />
          <span>=</span>
          <Field
            label={`argument ${a.name} default`}
            placeholder={t('required')}
            value={a.default ?? ''}
            onCommit={(v) => perform({ type: 'setArg', index: k, arg: { name: a.name, default: v } })}
          />
          <button
            className="link"
            aria-label={`remove argument ${a.name}`}
            onClick={() => perform({ type: 'removeArg', index: k })}
          >
            ×
          </button>
        </div>
      ))}
      <NewPair
        label={t('addArgument')}
        first="name"
        second="default"
        onAdd={(n, d) => perform({ type: 'addArg', arg: { name: n, default: d } })}
      />
      <div className="module-row" title={t('moduleInputsHint')}>
        <span>{t('moduleInputs')}</span>
        <Field
          label="module inputs"
          value={(spec.inputs ?? ['x']).join(', ')}
          onCommit={(v) => perform({ type: 'setInputs', inputs: v.split(',') })}
        />
      </div>
      <h3>{t('moduleWidths')}</h3>
      <p className="hint">{t('moduleWidthsHint')}</p>
      {(spec.vars ?? []).map(([n, e], k) => (
        <div className="module-row" key={`${k}-${n}`}>
          <Field
            label={`width ${k + 1} name`}
            value={n}
            onCommit={(v) => perform({ type: 'setVar', index: k, name: v.trim(), expr: e })}
          />
          <span>=</span>
          <Field
            label={`width ${n} value`}
            value={e}
            onCommit={(v) => perform({ type: 'setVar', index: k, name: n, expr: v })}
          />
          <button
            className="link"
            aria-label={`remove width ${n}`}
            onClick={() => perform({ type: 'removeVar', index: k })}
          >
            ×
          </button>
        </div>
      ))}
      <NewPair
        label={t('addWidth')}
        first="name"
        second="c2 // 2"
        onAdd={(n, e) => perform({ type: 'addVar', name: n, expr: e })}
      />
    </section>
  );
}

function NewPair({
  label,
  first,
  second,
  onAdd,
}: {
  label: string;
  first: string;
  second: string;
  onAdd(a: string, b: string): boolean;
}) {
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const add = () => {
    if (a.trim() && onAdd(a.trim(), b)) {
      setA('');
      setB('');
    }
  };
  return (
    <div className="module-row new">
      <input
        aria-label={`${label}: ${first}`}
        placeholder={first}
        value={a}
        onChange={(e) => setA(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && add()}
      />
      <span>=</span>
      <input
        aria-label={`${label}: ${second === 'default' ? 'default' : 'value'}`}
        placeholder={second}
        value={b}
        onChange={(e) => setB(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && add()}
      />
      <button onClick={add} aria-label={label}>
        +
      </button>
    </div>
  );
}

function AddNodePanel() {
  const t = useT();
  const registry = useEditor((s) => s.registry);
  const spec = useModuleEditor((s) => s.spec);
  const [other, setOther] = useState('');
  const add = (op: string, args: ModuleNode['args']) => {
    const s = moduleEditorStore.getState();
    const at = s.selected !== null ? s.selected + 1 : s.spec.body.length;
    if (perform({ type: 'addNode', node: { op, ...(args?.length ? { args } : {}) }, at })) s.select(at);
  };
  const modules = useMemo(
    () =>
      registry
        .all()
        .filter(
          (d) =>
            !d.internal &&
            d.name !== spec.name &&
            !['Detect', 'Segment', 'Concat', 'Contract', 'Expand'].includes(d.name),
        )
        .map((d) => d.name),
    [registry, spec.name],
  );
  return (
    <section className="module-section" aria-label={t('addNode')}>
      <h3>{t('addNode')}</h3>
      <p className="hint">{t('addNodeHint')}</p>
      <div className="primitive-grid">
        {PRIMITIVES.map((p) => (
          <button key={p.op} title={p.hint} onClick={() => add(p.op, p.args)} aria-label={`add ${p.op}`}>
            {p.op.replace(/^nn\./, '')}
          </button>
        ))}
      </div>
      <div className="module-row">
        <input
          list="module-editor-modules"
          aria-label={t('addModuleNode')}
          placeholder={t('addModuleNode')}
          value={other}
          onChange={(e) => setOther(e.target.value)}
        />
        <datalist id="module-editor-modules">
          {modules.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <button
          onClick={() => {
            if (!other.trim()) return;
            add(other.trim(), registry.get(other.trim())?.parse === 'channels' ? ['c2', 'c2'] : []);
            setOther('');
          }}
        >
          +
        </button>
      </div>
    </section>
  );
}

function NodePanel() {
  const t = useT();
  const spec = useModuleEditor((s) => s.spec);
  const selected = useModuleEditor((s) => s.selected);
  const n = selected !== null ? spec.body[selected] : undefined;
  if (selected === null || !n) return <p className="hint">{t('selectNodeHint')}</p>;
  const set = (patch: Partial<ModuleNode>) => perform({ type: 'setNode', index: selected, node: { ...n, ...patch } });
  const values = [...(spec.inputs ?? ['x']), ...spec.body.slice(0, selected).map((b) => b.id ?? '')].filter(Boolean);
  const implicitFrom = selected === 0 ? (spec.inputs ?? ['x'])[0] : spec.body[selected - 1].id;
  return (
    <section className="module-section node-fields" aria-label={t('node')}>
      <h3>
        {t('node')} {n.id}
      </h3>
      <label>
        id
        <Field label="node id" value={n.id ?? ''} onCommit={(v) => set({ id: v.trim() })} />
      </label>
      {n.use === undefined ? (
        <label>
          op
          <Field
            label="node op"
            value={n.op ?? ''}
            list="module-editor-modules"
            onCommit={(v) => set({ op: v.trim() })}
          />
        </label>
      ) : (
        <label>
          use
          <Field label="node use" value={n.use} onCommit={(v) => set({ use: v.trim() })} />
        </label>
      )}
      <label>
        args
        <Field
          label="node args"
          value={argsText(n.args)}
          placeholder="c1, c2, 3, 1"
          onCommit={(v) => {
            try {
              const args = parseArgsText(v);
              return set({ args: args.length ? args : undefined });
            } catch (e) {
              const problem = e instanceof MessageError ? e.msg : yamlProblem((e as Error).message.split('\n')[0]);
              moduleEditorStore.getState().setError(msg('module.args-unreadable', { problem }));
              return false;
            }
          }}
        />
      </label>
      <label>
        {t('nodeInputs')}
        <Field
          label="node inputs"
          value={(Array.isArray(n.in) ? n.in : n.in ? [n.in] : []).join(', ')}
          placeholder={`${implicitFrom ?? 'x'} (${t('previous')})`}
          onCommit={(v) => set({ in: parseInputsText(v).length ? parseInputsText(v) : undefined })}
        />
      </label>
      <p className="hint">
        {t('valuesHere')}: {values.join(', ')}
      </p>
      <label>
        {t('attrName')}
        <Field
          label="node attribute name"
          value={n.name ?? ''}
          placeholder={n.id}
          onCommit={(v) => set({ name: v.trim() || undefined })}
        />
      </label>
      <label>
        {t('repeatTimes')}
        <Field
          label="node repeat"
          value={n.repeat === undefined ? '' : String(n.repeat)}
          placeholder="1"
          onCommit={(v) =>
            set({ repeat: v.trim() === '' ? undefined : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v.trim() })
          }
        />
      </label>
      <label>
        {t('onlyWhen')}
        <Field
          label="node when"
          value={n.when ?? ''}
          placeholder="shortcut and c1 == c2"
          onCommit={(v) => set({ when: v.trim() || undefined })}
        />
      </label>
      <div className="module-row">
        <button onClick={() => perform({ type: 'setOut', value: n.id ?? null })} disabled={spec.out === n.id}>
          {t('makeOutput')}
        </button>
        <button
          className="danger"
          onClick={() => perform({ type: 'removeNode', index: selected }) && moduleEditorStore.getState().select(null)}
        >
          {t('deleteNode')}
        </button>
      </div>
    </section>
  );
}

function TrialPanel() {
  const t = useT();
  const words = useMessageText();
  const spec = useModuleEditor((s) => s.spec);
  const trial = useModuleEditor((s) => s.trial);
  const result = useTrial();
  const setNum = (k: 'c1' | 'hw') => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 4096) return false;
    moduleEditorStore.getState().setTrial({ [k]: n });
  };
  const r = result.trial;
  return (
    <section className="module-section trial" aria-label={t('tryIt')}>
      <h3>{t('tryIt')}</h3>
      <div className="trial-inputs">
        <label>
          c1
          <Field label="trial input channels" value={String(trial.c1)} onCommit={setNum('c1')} />
        </label>
        <label>
          H=W
          <Field label="trial input size" value={String(trial.hw)} onCommit={setNum('hw')} />
        </label>
        <label>
          {t('rowArgs')}
          <Field
            label="trial row arguments"
            value={trial.rowArgs}
            onCommit={(v) => moduleEditorStore.getState().setTrial({ rowArgs: v })}
          />
        </label>
      </div>
      <code className="trial-row">{r?.row ?? `[-1, 1, ${spec.name}, [${trial.rowArgs}]]`}</code>
      {r && (
        <dl className="trial-result" aria-label={t('trialResult')}>
          <dt>{t('params')}</dt>
          <dd aria-label="trial parameters">{thousands(r.params)}</dd>
          <dt>GFLOPs</dt>
          <dd aria-label="trial gflops">{r.gflops.toFixed(4)}</dd>
          <dt>{t('shape')}</dt>
          <dd aria-label="trial shape">{r.shape ? shapeText(r.shape) : '?'}</dd>
        </dl>
      )}
      <ul className="module-problems" aria-label={t('problems')}>
        {result.draft.error && <li className="error">{words(result.draft.error)}</li>}
        {result.errors.map((d, k) => (
          <li key={`e${k}`} className="error">
            {words(d.message)}
          </li>
        ))}
        {r?.diagnostics.map((d, k) => (
          <li key={`d${k}`} className={d.severity}>
            {words(d.message)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The module as YAML (the library entry Save writes); edit it and press Apply or Ctrl+Enter. */
function ModuleYaml() {
  const t = useT();
  const words = useMessageText();
  const spec = useModuleEditor((s) => s.spec);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // the text's problems (shown in the UI language), or [] when it does not describe exactly one module
  const [problem, setProblem] = useState<Diagnostic[] | null>(null);
  const text = useMemo(() => moduleYaml(spec), [spec]);
  const apply = () => {
    const v = view.current;
    if (!v) return;
    const s = moduleEditorStore.getState();
    const known = draftLibraries(s.spec, s.target, s.original).registry;
    const lib = parseModuleLibrary(v.state.doc.toString(), `${s.spec.name}.yaml`, (n) => !!known.get(n));
    const spec2 = lib.specs[0] as ModuleSpec | undefined;
    if (lib.diagnostics.length || !spec2 || lib.specs.length !== 1) {
      setProblem(lib.diagnostics);
      return;
    }
    setProblem(null);
    s.perform({ type: 'replace', spec: spec2 });
  };
  useEffect(() => {
    if (!host.current) return;
    view.current = new EditorView({
      doc: text,
      parent: host.current,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.domEventHandlers({
          keydown: (e) => (e.key === 'Enter' && (e.ctrlKey || e.metaKey) ? (apply(), true) : false),
        }),
      ],
    });
    return () => view.current?.destroy();
  }, []);
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== text)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
  }, [text]);
  return (
    <section className="module-section module-yaml" aria-label={t('moduleYaml')}>
      <h3>
        {t('moduleYaml')}{' '}
        <button onClick={apply} title="Ctrl+Enter">
          {t('apply')}
        </button>
      </h3>
      <div ref={host} className="module-yaml-editor" />
      {problem && (
        <p className="error">
          {words(
            problem.length
              ? joinMessages(problem.map((d) => msg('module.line', { line: d.line, problem: d.message })))
              : msg('module.one-module'),
          )}
        </p>
      )}
    </section>
  );
}

export function ModuleEditor() {
  const t = useT();
  const words = useMessageText();
  const lang = useLang((s) => s.lang);
  const spec = useModuleEditor((s) => s.spec);
  const target = useModuleEditor((s) => s.target);
  const error = useModuleEditor((s) => s.error);
  const dirty = useModuleEditor((s) => s.dirty);
  const canUndo = useModuleEditor((s) => s.past.length > 0);
  const canRedo = useModuleEditor((s) => s.future.length > 0);
  const modelLib = useLibrary((s) => s.model?.file ?? null);
  const userLocation = useLibrary((s) => s.userLocation);
  const fileName = useEditor((s) => s.file.name);
  // Esc closes; Ctrl+Z / Ctrl+Y / Ctrl+S come through the app's one shortcut handler (commands.ts), which
  // gives them to the module editor while it is open (a second handler here made one press act twice)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.key !== 'Escape' || el?.closest?.('input, textarea, .cm-editor')) return;
      close();
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  const close = () => {
    const s = moduleEditorStore.getState();
    if (s.dirty && !globalThis.confirm?.(`${s.spec.name} has unsaved changes. Close the module editor and lose them?`))
      return;
    s.close();
  };
  const modelLibName = modelLib ?? `${fileName.replace(/\.(ya?ml|pt)$/i, '')}.modules.yaml`;
  return (
    <div className="module-editor" role="region" aria-label={t('moduleEditor')}>
      <header className="module-editor-bar">
        <span className="swatch" style={{ background: categoryColor(spec.category ?? 'custom') }} />
        <strong>{t('moduleEditor')}</strong>
        <label>
          {t('name')}
          <Field
            label="module name"
            value={spec.name}
            onCommit={(v) => perform({ type: 'setInfo', key: 'name', value: v })}
          />
        </label>
        <label className="grow">
          {t('description')}
          <Field
            label="module description"
            className="grow"
            value={textIn(spec.description)}
            onCommit={(v) => perform({ type: 'setInfo', key: 'description', value: v })}
          />
        </label>
        <label>
          {t('family')}
          <select
            aria-label="module family"
            value={spec.category ?? 'custom'}
            onChange={(e) => perform({ type: 'setCategory', value: e.target.value as Category })}
          >
            {CATEGORY_CHOICES.map((c) => (
              <option key={c} value={c}>
                {CATEGORIES[c].label[lang]}
              </option>
            ))}
          </select>
        </label>
        <label title={t('parseRuleHint')}>
          parse_model
          <select
            aria-label="module parse rule"
            value={spec.parse ?? 'channels'}
            onChange={(e) =>
              perform({
                type: 'setParse',
                value: e.target.value === 'channels' ? null : (e.target.value as 'channelsRepeat' | 'passthrough'),
              })
            }
          >
            <option value="channels">c1, c2, … (like Conv)</option>
            <option value="channelsRepeat">c1, c2, n, … (like C3)</option>
            <option value="passthrough">{t('argsAsWritten')}</option>
          </select>
        </label>
        <label>
          {t('saveTo')}
          <select
            aria-label={t('saveTo')}
            value={target}
            onChange={(e) => moduleEditorStore.setState({ target: e.target.value as 'user' | 'model', dirty: true })}
          >
            <option value="user" title={userLocation}>
              {t('myModules')} (modules.yaml)
            </option>
            <option value="model">{modelLibName}</option>
          </select>
        </label>
        <button onClick={() => moduleEditorStore.getState().undo()} disabled={!canUndo} title="Ctrl+Z">
          {t('undo')}
        </button>
        <button onClick={() => moduleEditorStore.getState().redo()} disabled={!canRedo} title="Ctrl+Y">
          {t('redo')}
        </button>
        <button className="primary" onClick={() => void saveModule()} title="Ctrl+S">
          {t('saveModule')}
          {dirty ? ' ●' : ''}
        </button>
        <button onClick={close} aria-label={t('closeModuleEditor')} title="Esc">
          ×
        </button>
      </header>
      {error && (
        <div className="module-error" role="alert">
          {words(error)}
        </div>
      )}
      <div className="module-editor-body">
        <aside className="module-left">
          <ArgsPanel />
          <AddNodePanel />
        </aside>
        <div className="module-canvas" aria-label={t('moduleGraph')}>
          <ReactFlowProvider>
            <ModuleCanvas />
          </ReactFlowProvider>
        </div>
        <aside className="module-right">
          <NodePanel />
          <TrialPanel />
          <ModuleYaml />
        </aside>
      </div>
    </div>
  );
}
