/**
 * The selected layer's arguments as a form from its module's argument schema (resolved values beside the
 * schema), its repeats, output and parameters; with nothing selected, the model settings.
 * Read-only until the editing engine's commands (src/core/edit) are wired in.
 */
import { repr, shapeText, thousands, type ArgSpec, type LayerResult, type ModelAnalysis, type Py } from '../../src/core/index.ts';
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';

function argInputType(spec: ArgSpec): 'number' | 'checkbox' | 'text' {
  if (spec.type === 'int' || spec.type === 'float') return 'number';
  if (spec.type === 'bool') return 'checkbox';
  return 'text';
}

function ArgRow({ spec, value }: { spec: ArgSpec; value: Py | undefined }) {
  const t = useT();
  const kind = argInputType(spec);
  const shown = value === undefined ? (spec.default !== undefined ? repr(spec.default) : '') : repr(value);
  const id = `arg-${spec.name}`;
  return (
    <div className="arg-row" title={spec.doc}>
      <label htmlFor={id}>
        {spec.name}
        <span className="arg-type">{spec.type}</span>
      </label>
      {kind === 'checkbox' ? (
        <input id={id} type="checkbox" checked={shown === 'True'} readOnly disabled aria-describedby={`${id}-doc`} />
      ) : (
        <input id={id} type="text" value={shown} readOnly aria-describedby={`${id}-doc`} />
      )}
      <span id={`${id}-doc`} className="arg-doc">
        {spec.doc}
        {value === undefined ? ` (${spec.required ? t('required') : t('default')})` : ''}
      </span>
    </div>
  );
}

function LayerInspector({ l }: { l: LayerResult }) {
  const t = useT();
  const written = l.row.args ? repr(l.row.args.value) : '?';
  return (
    <div className="inspector-body">
      <h3>
        {t('layer')} {l.i} <span className="layer-module">{l.module}</span>
      </h3>
      {l.def && <p className="description">{l.def.description}</p>}
      <dl className="facts">
        <dt>{t('inputs')}</dt>
        <dd>{l.inputs.map((i) => (i < 0 ? t('image') : String(i))).join(', ') || '–'}</dd>
        <dt>{t('repeats')}</dt>
        <dd>
          {l.row.n ? repr(l.row.n.value) : '?'} → {l.n}
        </dd>
        <dt>{t('written')}</dt>
        <dd className="mono">{written}</dd>
        <dt>{t('output')}</dt>
        <dd className="mono">{shapeText(l.shape)}</dd>
        <dt>{t('parameters')}</dt>
        <dd className="mono">{thousands(l.params)}</dd>
      </dl>
      {l.def && (
        <fieldset className="args">
          <legend>
            {t('arguments')} ({t('resolved')})
          </legend>
          {l.def.args.map((spec, k) => (
            <ArgRow key={spec.name} spec={spec} value={l.args ? l.args[k] : undefined} />
          ))}
        </fieldset>
      )}
      {l.def && l.def.name !== 'Detect' && l.def.family !== 'merge' && (
        <button className="link" onClick={() => editorStore.getState().lookInside(l.i)}>
          {t('lookInside')} →
        </button>
      )}
    </div>
  );
}

function ModelSettings({ a }: { a: ModelAnalysis }) {
  const t = useT();
  const h = a.source.header;
  const show = (k: keyof typeof h) => (h[k] ? repr(h[k]!.value) : '–');
  const rows: [string, string][] = [
    [t('nc'), show('nc')],
    [t('depthMultiple'), show('depth_multiple')],
    [t('widthMultiple'), show('width_multiple')],
    [t('anchors'), show('anchors')],
    [t('activation'), show('activation')],
  ];
  return (
    <div className="inspector-body">
      <h3>{t('modelSettings')}</h3>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">{t('selectLayer')}</p>
    </div>
  );
}

export function Inspector() {
  const t = useT();
  const a = useEditor((s) => s.analysis);
  const selected = useEditor((s) => s.selected);
  const l = selected !== null ? a.layers[selected] : undefined;
  return (
    <section className="pane inspector" aria-label={t('inspector')}>
      <h2 className="pane-title">{t('inspector')}</h2>
      {l ? <LayerInspector l={l} /> : <ModelSettings a={a} />}
    </section>
  );
}
