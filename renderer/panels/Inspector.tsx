/**
 * The selected layer as a form: module, inputs, repeats and the arguments the row writes (typed by the
 * module's argument schema), plus the resolved arguments parse_model passes and the layer's output and
 * parameters. With nothing selected: the model settings (nc, multiples with an n/s/m/l/x switch,
 * activation, anchors). Every change is one editing-engine command (one undo step) on commit.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  inLang,
  msg,
  repr,
  type Message,
  type Registry,
  shapeText,
  thousands,
  type ArgSpec,
  type LayerResult,
  type HeaderKey,
  type ModelAnalysis,
} from '../../src/core/index.ts';
import { yamlArgSpecs, SCALES, type Scale } from '../../src/core/edit/index.ts';
import { editorStore, shownAnalysis, useEditor } from '../store/editor.ts';
import { editArg, editHeader, editRepeats, parseFrom, rewire, scaleTo, setModule } from '../edits.ts';
import { useLang, useT } from '../i18n.ts';
import { useMessageText } from '../messages.ts';

/**
 * A text field that commits on Enter or blur and shows the value again on Esc. An empty entry is refused
 * unless `allowEmpty`. A refused commit (`onCommit` returning false, a message, or a command result that is
 * not ok) puts the current value back and says why right under the field until the next edit.
 */
export function CommitField({
  id,
  label,
  value,
  onCommit,
  placeholder,
  list,
  mono = true,
  allowEmpty = false,
  className,
}: {
  id?: string;
  label: string;
  value: string;
  onCommit(v: string): unknown;
  placeholder?: string;
  list?: string;
  mono?: boolean;
  allowEmpty?: boolean;
  className?: string;
}) {
  const [draft, setDraft] = useState(value);
  const [refused, setRefused] = useState<Message | null>(null);
  const words = useMessageText();
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    const v = draft.trim();
    if (v === value.trim() || (v === '' && !allowEmpty)) {
      setDraft(value);
      return;
    }
    const why = refusal(onCommit(v));
    if (why !== null) {
      setDraft(value);
      setRefused(why);
    } else setRefused(null);
  };
  const input = (
    <input
      id={id}
      aria-label={label}
      className={[mono ? 'mono' : '', className ?? ''].join(' ').trim() || undefined}
      type="text"
      value={draft}
      placeholder={placeholder}
      list={list}
      aria-invalid={refused !== null || undefined}
      aria-describedby={refused !== null && id ? `${id}-refused` : undefined}
      onChange={(e) => {
        setDraft(e.target.value);
        setRefused(null);
      }}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        } else if (e.key === 'Escape') setDraft(value);
      }}
    />
  );
  if (refused === null) return input;
  return (
    <>
      {input}
      <span className="field-refused" id={id ? `${id}-refused` : undefined} role="alert">
        {words(refused)}
      </span>
    </>
  );
}

/** Why a commit was refused (null: it was taken). */
function refusal(r: unknown): Message | null {
  if (r === false) return msg('field.not-valid');
  if (r && typeof r === 'object' && 'ok' in r && (r as { ok: boolean }).ok === false)
    return (r as { error?: Message }).error ?? msg('field.not-possible');
  if (r && typeof r === 'object' && 'code' in r && 'params' in r) return r as Message;
  return null;
}

const moduleNames = (r: Registry) =>
  r
    .all()
    .filter((d) => !d.internal)
    .map((d) => d.name);

function ArgField({
  layer,
  index,
  spec,
  written,
}: {
  layer: number;
  index: number;
  spec: ArgSpec;
  written: string | undefined;
}) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const id = `arg-${layer}-${index}`;
  const doc = inLang(spec.doc ?? '', spec.docs, lang);
  return (
    <div className="arg-row" title={doc}>
      <label htmlFor={id}>
        {spec.name}
        <span className="arg-type">{spec.type}</span>
      </label>
      <CommitField
        id={id}
        label={spec.name}
        value={written ?? ''}
        placeholder={spec.default !== undefined ? `${repr(spec.default)} (${t('default')})` : t('required')}
        onCommit={(v) => editArg(layer, index, v)}
      />
      <span className="arg-doc">{doc}</span>
    </div>
  );
}

function LayerInspector({ l }: { l: LayerResult }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const text = useEditor((s) => s.text);
  const written = (l.row.args?.items ?? []).map(([a, b]) => text.slice(a, b));
  const specs = l.def ? yamlArgSpecs(l.def) : [];
  const registry = useEditor((s) => s.analysis.registry);
  const names = useMemo(() => moduleNames(registry), [registry]);
  const fromValue = l.row.from ? repr(l.row.from.value) : '';
  return (
    <div className="inspector-body">
      <h3>
        {t('layer')} {l.i} <span className="layer-module">{l.module}</span>
      </h3>
      {l.def && <p className="description">{inLang(l.def.description, l.def.descriptions, lang)}</p>}
      <div className="arg-row">
        <label htmlFor="layer-module">{t('fieldModule')}</label>
        <CommitField
          id="layer-module"
          label={t('fieldModule')}
          value={l.module}
          list="module-names"
          onCommit={(v) => setModule(l.i, v)}
        />
      </div>
      <datalist id="module-names">
        {names.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <div className="arg-row">
        <label htmlFor="layer-from">{t('fieldFrom')}</label>
        <CommitField
          id="layer-from"
          label={t('fieldFrom')}
          value={fromValue}
          onCommit={(v) => {
            const f = parseFrom(v);
            return f === null ? msg('toast.not-a-from', { text: v }) : rewire(l.i, f);
          }}
        />
      </div>
      <div className="arg-row">
        <label htmlFor="layer-n">{t('repeats')}</label>
        <CommitField
          id="layer-n"
          label={t('repeats')}
          value={l.row.n ? repr(l.row.n.value) : ''}
          onCommit={(v) => {
            const n = Number(v);
            return Number.isInteger(n) && n >= 1 ? editRepeats(l.i, n) : msg('bad-repeats', { got: v });
          }}
        />
        <span className="arg-doc">
          → {l.n} {l.n !== (l.row.n?.value as unknown) ? `(${t('depthMultiple')})` : ''}
        </span>
      </div>
      {specs.length > 0 && (
        <fieldset className="args">
          <legend>{t('arguments')}</legend>
          {specs.map((spec, k) =>
            k <= written.length ? (
              <ArgField
                key={`${l.i}-${spec.name}`}
                layer={l.i}
                index={k}
                spec={spec}
                written={k < written.length ? written[k] : undefined}
              />
            ) : null,
          )}
        </fieldset>
      )}
      <dl className="facts">
        <dt>{t('resolved')}</dt>
        <dd className="mono">{l.args ? repr(l.args) : '?'}</dd>
        <dt>{t('inputs')}</dt>
        <dd>{l.inputs.map((i) => (i < 0 ? t('image') : String(i))).join(', ') || '–'}</dd>
        <dt>{t('output')}</dt>
        <dd className="mono">{shapeText(l.shape)}</dd>
        <dt>{t('parameters')}</dt>
        <dd className="mono" aria-label="layer parameters">
          {thousands(l.params)}
        </dd>
      </dl>
      {l.def && l.def.category !== 'merge' && (
        <button className="link" onClick={() => editorStore.getState().lookInside(l.i)}>
          {t('lookInside')} →
        </button>
      )}
    </div>
  );
}

/** The model header's fields (nc, multiples, activation...), each one editing-engine command on commit. */
function HeaderFields({ a, fields }: { a: ModelAnalysis; fields: readonly (readonly [HeaderKey, string])[] }) {
  const h = a.source.header;
  return fields.map(([key, label]) => (
    <div className="arg-row" key={key}>
      <label htmlFor={`h-${key}`}>{label}</label>
      <CommitField
        id={`h-${key}`}
        label={label}
        value={h[key] ? repr(h[key]!.value) : ''}
        placeholder={key === 'activation' ? 'nn.SiLU()' : ''}
        onCommit={(v) => editHeader(key, v)}
      />
    </div>
  ));
}

/** An Ultralytics model's settings: its scales (the switcher chooses which one the figures use), nc, keypoints. */
function UltralyticsSettings({ a }: { a: ModelAnalysis }) {
  const t = useT();
  const h = a.source.header;
  const scale = a.scale;
  return (
    <div className="inspector-body">
      <h3>{t('modelSettings')}</h3>
      {scale && scale.scales.length > 0 && (
        <div className="scale-switch" role="group" aria-label="scale">
          {scale.scales.map((k) => (
            <button
              key={k}
              className={k === scale.name ? 'active' : ''}
              aria-pressed={k === scale.name}
              title={t('scaleFromName')}
              onClick={() => editorStore.getState().setScale(scale.from === 'name' && k === scale.name ? null : k)}
            >
              {k}
            </button>
          ))}
        </div>
      )}
      <HeaderFields
        a={a}
        fields={[
          ['nc', t('nc')],
          ...(h.kpt_shape ? ([['kpt_shape', 'kpt_shape']] as const) : []),
          ['activation', t('activation')],
        ]}
      />
      <dl className="facts">
        <dt>{t('scale')}</dt>
        <dd className="mono">
          {scale?.name
            ? `${scale.name}: ${a.depthMultiple} × depth, ${a.widthMultiple} × width, ≤ ${scale.maxChannels} channels`
            : `${a.depthMultiple} × depth, ${a.widthMultiple} × width`}
        </dd>
      </dl>
      <p className="hint">{t('selectLayer')}</p>
    </div>
  );
}

function ModelSettings({ a, stale }: { a: ModelAnalysis; stale: boolean }) {
  const t = useT();
  const h = a.source.header;
  if (a.family.id === 'ultralytics') return <UltralyticsSettings a={a} />;
  const show = (k: keyof typeof h) => (h[k] ? repr(h[k]!.value) : '');
  const current = (Object.keys(SCALES) as Scale[]).find(
    (k) => Number(SCALES[k].depth) === a.depthMultiple && Number(SCALES[k].width) === a.widthMultiple,
  );
  return (
    <div className="inspector-body">
      <h3>
        {t('modelSettings')}
        {stale && <span className="stale-mark">{t('stale')}</span>}
      </h3>
      <div className="scale-switch" role="group" aria-label="scale">
        {(Object.keys(SCALES) as Scale[]).map((k) => (
          <button
            key={k}
            className={k === current ? 'active' : ''}
            aria-pressed={k === current}
            onClick={() => scaleTo(k)}
          >
            {k}
          </button>
        ))}
      </div>
      <HeaderFields
        a={a}
        fields={[
          ['nc', t('nc')],
          ['depth_multiple', t('depthMultiple')],
          ['width_multiple', t('widthMultiple')],
          ['activation', t('activation')],
        ]}
      />
      <dl className="facts">
        <dt>{t('anchors')}</dt>
        <dd className="mono">{show('anchors') || '–'}</dd>
      </dl>
      <p className="hint">{t('selectLayer')}</p>
    </div>
  );
}

export function Inspector() {
  const t = useT();
  // while the text does not parse: the last readable values, marked stale
  const a = useEditor(shownAnalysis);
  const stale = useEditor((s) => s.stale);
  const selected = useEditor((s) => s.selected);
  const l = selected !== null && !stale ? a.layers[selected] : undefined;
  return (
    <section className="pane inspector" aria-label={t('inspector')}>
      <h2 className="pane-title">{t('inspector')}</h2>
      {l ? <LayerInspector l={l} /> : <ModelSettings a={a} stale={stale} />}
    </section>
  );
}
