/**
 * Which framework the open model is read as (YOLOv5 or Ultralytics, recognised from the file) and, for an
 * Ultralytics model with scales, the scale switcher: the file name gives one (yolo11n.yaml is scale n), another can
 * be chosen here to see its figures.
 */
import { editorStore, useEditor } from '../store/editor.ts';
import { useT } from '../i18n.ts';
import './family-scale.css';

export function FamilyScale() {
  const t = useT();
  const family = useEditor((s) => s.analysis.family);
  const why = useEditor((s) => s.analysis.familyWhy);
  const scale = useEditor((s) => s.analysis.scale);
  const chosen = useEditor((s) => s.scale);
  const named = scale && scale.from === 'name' ? scale.name : null;
  return (
    <span className="family-scale" role="group" aria-label={t('modelFamily')}>
      <span
        className={`family-badge family-${family.id}`}
        title={`${t('readAs')} ${family.name} ${family.release}: ${why}`}
      >
        {family.name} {family.release}
      </span>
      {scale && scale.scales.length > 0 && (
        <label className="scale">
          {t('scale')}
          <select
            aria-label={t('scale')}
            value={scale.name}
            onChange={(e) => editorStore.getState().setScale(e.target.value === named ? null : e.target.value)}
            title={chosen ? t('scaleChosen') : t('scaleFromName')}
          >
            {scale.scales.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      )}
    </span>
  );
}
