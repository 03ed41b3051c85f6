/** The model templates the start screen offers: the app's own configs/, bundled as text. */
import v5n from '../configs/yolov5n.yaml?raw';
import v5s from '../configs/yolov5s.yaml?raw';
import v5m from '../configs/yolov5m.yaml?raw';
import v5l from '../configs/yolov5l.yaml?raw';
import v5x from '../configs/yolov5x.yaml?raw';
import v5n6 from '../configs/yolov5n6.yaml?raw';
import v5s6 from '../configs/yolov5s6.yaml?raw';
import v5m6 from '../configs/yolov5m6.yaml?raw';
import v5l6 from '../configs/yolov5l6.yaml?raw';
import v5x6 from '../configs/yolov5x6.yaml?raw';
import v5nSeg from '../configs/yolov5n-seg.yaml?raw';
import v5sSeg from '../configs/yolov5s-seg.yaml?raw';
import v5mSeg from '../configs/yolov5m-seg.yaml?raw';
import v5lSeg from '../configs/yolov5l-seg.yaml?raw';
import v5xSeg from '../configs/yolov5x-seg.yaml?raw';
import res2net from '../configs/yolov5s-res2net.yaml?raw';
import demoShapes from '../configs/demo/demo-shapes.yaml?raw';
import demoShapes11 from '../configs/demo/demo-yolo11n-shapes.yaml?raw';
import v8 from '../configs/ultralytics/yolov8.yaml?raw';
import v8Seg from '../configs/ultralytics/yolov8-seg.yaml?raw';
import v8Pose from '../configs/ultralytics/yolov8-pose.yaml?raw';
import v8Obb from '../configs/ultralytics/yolov8-obb.yaml?raw';
import v8Cls from '../configs/ultralytics/yolov8-cls.yaml?raw';
import y11 from '../configs/ultralytics/yolo11.yaml?raw';
import y11Seg from '../configs/ultralytics/yolo11-seg.yaml?raw';
import y11Pose from '../configs/ultralytics/yolo11-pose.yaml?raw';
import y11Obb from '../configs/ultralytics/yolo11-obb.yaml?raw';
import y11Cls from '../configs/ultralytics/yolo11-cls.yaml?raw';

export interface Template {
  id: string;
  /** File name the document gets. */
  file: string;
  group: 'detect' | 'p6' | 'segment' | 'yolov8' | 'yolo11' | 'other';
  text: string;
  /** Input size the template is meant for. */
  imgsz: number;
  /** What menus show (the id when absent). */
  label?: string;
}

const t = (id: string, group: Template['group'], text: string, imgsz = 640): Template => ({
  id,
  file: `${id}.yaml`,
  group,
  text,
  imgsz,
});

/**
 * An Ultralytics template at scale n: the file name carries the scale as Ultralytics reads it (yolo11n-seg.yaml),
 * and the scale switcher shows the others.
 */
const scaled = (family: 'yolov8' | 'yolo11', task: string, text: string): Template => ({
  id: `${family}n${task}`,
  file: `${family}n${task}.yaml`,
  group: family,
  text,
  imgsz: task === '-cls' ? 224 : 640,
});

export const TEMPLATES: Template[] = [
  t('yolov5n', 'detect', v5n),
  t('yolov5s', 'detect', v5s),
  t('yolov5m', 'detect', v5m),
  t('yolov5l', 'detect', v5l),
  t('yolov5x', 'detect', v5x),
  t('yolov5n6', 'p6', v5n6),
  t('yolov5s6', 'p6', v5s6),
  t('yolov5m6', 'p6', v5m6),
  t('yolov5l6', 'p6', v5l6),
  t('yolov5x6', 'p6', v5x6),
  t('yolov5n-seg', 'segment', v5nSeg),
  t('yolov5s-seg', 'segment', v5sSeg),
  t('yolov5m-seg', 'segment', v5mSeg),
  t('yolov5l-seg', 'segment', v5lSeg),
  t('yolov5x-seg', 'segment', v5xSeg),
  scaled('yolov8', '', v8),
  scaled('yolov8', '-seg', v8Seg),
  scaled('yolov8', '-pose', v8Pose),
  scaled('yolov8', '-obb', v8Obb),
  scaled('yolov8', '-cls', v8Cls),
  scaled('yolo11', '', y11),
  scaled('yolo11', '-seg', y11Seg),
  scaled('yolo11', '-pose', y11Pose),
  scaled('yolo11', '-obb', y11Obb),
  scaled('yolo11', '-cls', y11Cls),
  t('yolov5s-res2net', 'other', res2net),
  { id: 'demo-shapes', file: 'demo-shapes.yaml', group: 'other', text: demoShapes, imgsz: 320, label: 'demo: shapes' },
  {
    id: 'demo-yolo11n-shapes',
    file: 'demo-yolo11n-shapes.yaml',
    group: 'other',
    text: demoShapes11,
    imgsz: 320,
    label: 'demo: YOLO11n shapes',
  },
];

/** A template's name in menus. */
export const templateLabel = (id: string) => TEMPLATES.find((x) => x.id === id)?.label ?? id;

export const templateById = (id: string) => TEMPLATES.find((x) => x.id === id);
