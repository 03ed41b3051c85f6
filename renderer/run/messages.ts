/** The run panel's words, in English and Simplified Chinese. */
import { useLang } from '../i18n.ts';

const en = {
  run: 'Run',
  cancel: 'Cancel',
  image: 'Image',
  chooseImage: 'Choose image…',
  sample: 'demo sample',
  weights: 'Weights',
  random: 'random initialisation',
  demoWeights: 'demo weights',
  openWeights: 'Open .safetensors…',
  strict: 'strict',
  transfer: 'transfer',
  conf: 'conf',
  iou: 'IoU',
  backend: 'backend',
  time: 'time',
  detections: 'Detections',
  outputs: 'Outputs',
  layerTimes: 'Per-layer time',
  noImage: 'Choose or drop an image (PNG or JPEG) to run the network on it.',
  stage_backend: 'starting TensorFlow.js…',
  stage_build: 'building the network…',
  stage_decode: 'reading the image…',
  stage_run: 'running…',
  cancelled: 'Cancelled.',
  none: 'No detections above the confidence threshold.',
  class: 'class',
  confidence: 'confidence',
  box: 'box (x1, y1, x2, y2)',
  fixErrors: 'Fix the model’s errors first (see Problems).',
  pickLayer: 'Select a layer on the canvas to see its feature maps from this run.',
} as const;

const zh: Record<keyof typeof en, string> = {
  run: '运行',
  cancel: '取消',
  image: '图像',
  chooseImage: '选择图像…',
  sample: '示例图像',
  weights: '权重',
  random: '随机初始化',
  demoWeights: '示例权重',
  openWeights: '打开 .safetensors…',
  strict: '严格',
  transfer: '迁移',
  conf: '置信度',
  iou: 'IoU',
  backend: '后端',
  time: '耗时',
  detections: '检测结果',
  outputs: '输出',
  layerTimes: '各层耗时',
  noImage: '选择或拖入一张图像（PNG 或 JPEG）以运行网络。',
  stage_backend: '正在启动 TensorFlow.js…',
  stage_build: '正在构建网络…',
  stage_decode: '正在读取图像…',
  stage_run: '正在运行…',
  cancelled: '已取消。',
  none: '没有高于置信度阈值的检测结果。',
  class: '类别',
  confidence: '置信度',
  box: '边框 (x1, y1, x2, y2)',
  fixErrors: '请先修复模型错误（见问题面板）。',
  pickLayer: '在画布上选择一层，查看本次运行的特征图。',
};

export type RunKey = keyof typeof en;
export function useRunT(): (k: RunKey) => string {
  const lang = useLang((s) => s.lang);
  return (k) => (lang === 'zh' ? zh[k] : en[k]);
}
