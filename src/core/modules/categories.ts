/**
 * Module categories, in one list: each with the colour its nodes, palette swatches and minimap marks get, and
 * its name in every language. A module names its category in its description; nothing else lists them.
 */
export interface CategoryInfo {
  color: string;
  label: { en: string; zh: string };
}

export const CATEGORIES = {
  conv: { color: '#2f6fde', label: { en: 'Convolution', zh: '卷积' } },
  csp: { color: '#129a74', label: { en: 'CSP and bottlenecks', zh: 'CSP 与瓶颈' } },
  res2net: { color: '#8a4fd8', label: { en: 'Res2Net', zh: 'Res2Net' } },
  pool: { color: '#d98a09', label: { en: 'Pooling', zh: '池化' } },
  resample: { color: '#0b93ad', label: { en: 'Resampling', zh: '重采样' } },
  merge: { color: '#5f6f86', label: { en: 'Merging', zh: '合并' } },
  head: { color: '#d6453d', label: { en: 'Heads', zh: '检测头' } },
  norm: { color: '#8d8d8d', label: { en: 'Normalisation', zh: '归一化' } },
  attention: { color: '#d1438f', label: { en: 'Attention', zh: '注意力' } },
  custom: { color: '#7a6a5a', label: { en: 'Custom', zh: '自定义' } },
} as const satisfies Record<string, CategoryInfo>;

export type Category = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as Category[];
export const isCategory = (v: unknown): v is Category =>
  typeof v === 'string' && Object.prototype.hasOwnProperty.call(CATEGORIES, v);

/** Colours of what is not a module: a layer whose module is unknown, and the input image. */
export const UNKNOWN_COLOR = '#9aa3af';
export const INPUT_COLOR = '#334155';

/** The colour of a category (unknown ones grey). */
export const categoryColor = (c: string | undefined): string => (isCategory(c) ? CATEGORIES[c].color : UNKNOWN_COLOR);
