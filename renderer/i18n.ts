/**
 * English and Simplified Chinese. The language follows the system (navigator.languages) until the user
 * picks one; the choice is kept in localStorage.
 */
import { create } from 'zustand';

export type Lang = 'en' | 'zh';

const en = {
  appName: 'YOLO Architect',
  start: 'Start',
  templates: 'Templates',
  detect: 'Detection (P3–P5)',
  p6: 'Detection with P6',
  segment: 'Segmentation',
  other: 'Other',
  open: 'Open…',
  save: 'Save',
  saveAs: 'Save as…',
  new: 'New',
  recent: 'Recent files',
  noRecent: 'No recent files yet',
  dropHint: 'or drop a YAML file anywhere on the window',
  undo: 'Undo',
  redo: 'Redo',
  fitView: 'Fit view',
  relayout: 'Tidy layout',
  language: 'Language',
  yaml: 'YAML',
  problems: 'Problems',
  run: 'Run',
  inspector: 'Inspector',
  palette: 'Palette',
  canvas: 'Model graph',
  noProblems: 'No problems',
  rows: 'rows',
  modules: 'modules',
  parameters: 'parameters',
  gflops: 'GFLOPs',
  strides: 'strides',
  sinceSave: 'since save',
  unsaved: 'unsaved',
  saved: 'saved',
  layer: 'layer',
  image: 'image',
  backbone: 'backbone',
  head: 'head',
  searchModules: 'Search modules',
  arguments: 'Arguments',
  written: 'written',
  resolved: 'resolved',
  repeats: 'Repeats',
  output: 'Output',
  inputs: 'Inputs',
  model: 'Model',
  modelSettings: 'Model settings',
  selectLayer: 'Select a layer on the canvas or in the YAML to see its arguments.',
  lookInside: 'Look inside',
  back: 'Back',
  inputSize: 'Input size',
  default: 'default',
  required: 'required',
  nc: 'classes (nc)',
  depthMultiple: 'depth multiple',
  widthMultiple: 'width multiple',
  anchors: 'anchors',
  activation: 'activation',
  minimap: 'minimap',
  find: 'Find layer',
  findPlaceholder: 'layer number or module name, Enter for next',
  exportSvg: 'SVG',
  exportPng: 'PNG',
  exportGraph: 'Export the graph',
  noMatch: 'no match',
  error: 'error',
  warning: 'warning',
  info: 'info',
  // compare view (renderer/compare)
  compare: 'Compare…',
  compareWith: 'Compare with',
  compareSaved: 'Last saved version',
  compareFile: 'A file…',
  compareTitle: 'Comparison',
  differences: 'Differences',
  changedOnly: 'Changed only',
  linkViews: 'Pan together',
  close: 'Close',
  current: 'current',
  savedVersion: 'saved version',
  statusSame: 'same',
  statusChanged: 'changed',
  statusAdded: 'added',
  statusRemoved: 'removed',
  status: 'Status',
  deltaParams: 'Δ parameters',
  deltaGflops: 'Δ GFLOPs',
  whatChanged: 'What changed',
  total: 'Total',
  noDifferences: 'No differences',
  notAModel: 'is not a model config (no backbone or head)',
  badCheckpoint: 'cannot be read as a YOLOv5 checkpoint',
  chgModule: 'module',
  chgArgs: 'arguments',
  chgN: 'repeats',
  chgInputs: 'inputs',
  chgInputShape: 'input shapes',
  chgShape: 'output',
  chgParams: 'parameters',
};
export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  appName: 'YOLO Architect',
  start: '开始',
  templates: '模板',
  detect: '检测（P3–P5）',
  p6: '检测（含 P6）',
  segment: '实例分割',
  other: '其他',
  open: '打开…',
  save: '保存',
  saveAs: '另存为…',
  new: '新建',
  recent: '最近的文件',
  noRecent: '还没有最近的文件',
  dropHint: '或把 YAML 文件拖到窗口中任意位置',
  undo: '撤销',
  redo: '重做',
  fitView: '适应窗口',
  relayout: '整理布局',
  language: '语言',
  yaml: 'YAML',
  problems: '问题',
  run: '运行',
  inspector: '属性',
  palette: '模块库',
  canvas: '模型图',
  noProblems: '没有问题',
  rows: '行',
  modules: '模块',
  parameters: '参数',
  gflops: 'GFLOPs',
  strides: '步长',
  sinceSave: '自上次保存',
  unsaved: '未保存',
  saved: '已保存',
  layer: '层',
  image: '图像',
  backbone: '主干网络',
  head: '检测头',
  searchModules: '搜索模块',
  arguments: '参数',
  written: '书写值',
  resolved: '解析值',
  repeats: '重复次数',
  output: '输出',
  inputs: '输入',
  model: '模型',
  modelSettings: '模型设置',
  selectLayer: '在画布或 YAML 中选择一层以查看其参数。',
  lookInside: '查看内部',
  back: '返回',
  inputSize: '输入尺寸',
  default: '默认',
  required: '必填',
  nc: '类别数（nc）',
  depthMultiple: '深度倍数',
  widthMultiple: '宽度倍数',
  anchors: '锚框',
  activation: '激活函数',
  minimap: '缩略图',
  find: '查找层',
  findPlaceholder: '层号或模块名，回车查找下一个',
  exportSvg: 'SVG',
  exportPng: 'PNG',
  exportGraph: '导出模型图',
  noMatch: '没有匹配',
  error: '错误',
  warning: '警告',
  info: '提示',
  // compare view (renderer/compare)
  compare: '比较…',
  compareWith: '比较对象',
  compareSaved: '上次保存的版本',
  compareFile: '文件…',
  compareTitle: '比较',
  differences: '差异',
  changedOnly: '只看变化',
  linkViews: '同步平移缩放',
  close: '关闭',
  current: '当前',
  savedVersion: '已保存版本',
  statusSame: '相同',
  statusChanged: '有变化',
  statusAdded: '新增',
  statusRemoved: '删除',
  status: '状态',
  deltaParams: 'Δ 参数量',
  deltaGflops: 'Δ GFLOPs',
  whatChanged: '变化内容',
  total: '合计',
  noDifferences: '没有差异',
  notAModel: '不是模型配置（没有 backbone 或 head）',
  badCheckpoint: '无法作为 YOLOv5 检查点读取',
  chgModule: '模块',
  chgArgs: '参数',
  chgN: '重复次数',
  chgInputs: '输入',
  chgInputShape: '输入形状',
  chgShape: '输出形状',
  chgParams: '参数量',
};

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, zh };
const LANG_KEY = 'yolo-architect.lang';

export function systemLang(languages: readonly string[] = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : []): Lang {
  for (const l of languages) {
    if (/^zh\b/i.test(l)) return 'zh';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // no storage
  }
  return systemLang();
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

export const useLang = create<LangState>((set) => ({
  lang: initialLang(),
  setLang(lang) {
    try {
      globalThis.localStorage?.setItem(LANG_KEY, lang);
    } catch {
      // no storage
    }
    if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    set({ lang });
  },
}));

export const translate = (lang: Lang, key: MessageKey) => MESSAGES[lang][key];

/** The current language's messages, re-rendering when it changes. */
export function useT() {
  const lang = useLang((s) => s.lang);
  return TRANSLATORS[lang];
}
const TRANSLATORS: Record<Lang, (key: MessageKey) => string> = {
  en: (key) => MESSAGES.en[key],
  zh: (key) => MESSAGES.zh[key],
};
