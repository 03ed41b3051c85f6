/** Toolbar: Export for YOLOv5 (the model YAML, NAME.modules.yaml and one patch per YOLOv5 release). */
import { useT } from '../i18n.ts';
import { sayExported } from '../commands.ts';
import { exportForYolov5InApp } from './actions.ts';

export function ExportYolov5Button({ disabled }: { disabled: boolean }) {
  const t = useT();
  return (
    <button
      disabled={disabled}
      title="YAML + yolov5-v7.0.patch + yolov5-master.patch (git apply in a YOLOv5 checkout)"
      onClick={() => void exportForYolov5InApp().then(sayExported)}
    >
      {t('exportYolov5')}
    </button>
  );
}
