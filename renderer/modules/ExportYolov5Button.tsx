/** Toolbar: Export for YOLOv5 (the model YAML, NAME.modules.yaml and one patch per YOLOv5 release). */
import { useT } from '../i18n.ts';
import { editorStore } from '../store/editor.ts';
import { exportForYolov5InApp } from './actions.ts';

export function ExportYolov5Button({ disabled }: { disabled: boolean }) {
  const t = useT();
  return (
    <button
      disabled={disabled}
      title="YAML + yolov5-v7.0.patch + yolov5-master.patch (git apply in a YOLOv5 checkout)"
      onClick={async () => {
        const r = await exportForYolov5InApp();
        if (!r) return;
        const say = (text: string, error: boolean) => editorStore.setState({ message: { text, error, seq: (editorStore.getState().message?.seq ?? 0) + 1 } });
        if ('error' in r) say(`Export for YOLOv5: ${r.error}`, true);
        else say(`${t('exportedYolov5')}: ${r.files.join(', ')}${r.folder === 'downloads' ? '' : ` → ${r.folder}`}`, false);
      }}
    >
      {t('exportYolov5')}
    </button>
  );
}
