/**
 * The model families YOLO Architect reads, in one list, and how a file is recognised as one of them. Each family
 * (parse-model/family.ts) carries its built-in modules, the header keys it reads, its parse rules and heads.
 */
import type { ModelSource } from './document.ts';
import { BUILTIN_MODULES } from './modules/index.ts';
import type { FamilyId, ModelFamily } from './parse-model/family.ts';
import { ultralyticsFamily } from './parse-model/ultralytics.ts';
import { yolov5Family } from './parse-model/yolov5.ts';

export const FAMILIES: readonly ModelFamily[] = [yolov5Family, ultralyticsFamily];

export const familyById = (id: FamilyId): ModelFamily => FAMILIES.find((f) => f.id === id)!;

export interface FamilyGuess {
  family: ModelFamily;
  /** Why, in a few words ("it has a scales: table", "C2f is an Ultralytics module"). */
  why: string;
}

/**
 * Which family a file is written for: a `scales:` table, `kpt_shape:`, an Ultralytics-only module or an
 * anchor-free head make it Ultralytics; `anchors:` or nothing telling make it YOLOv5 (as every file was before).
 */
export function familyOf(src: ModelSource): FamilyGuess {
  const h = src.header;
  if (h.scales) return { family: ultralyticsFamily, why: 'it has a scales: table' };
  if (h.anchors) return { family: yolov5Family, why: 'it has anchors:' };
  if (h.kpt_shape) return { family: ultralyticsFamily, why: 'it has kpt_shape:' };
  const v5 = new Set(BUILTIN_MODULES.map((d) => d.name.replace(/^nn\./, '')));
  const ultra = new Set(
    ultralyticsFamily
      .modules()
      .filter((d) => !d.internal)
      .map((d) => d.name.replace(/^nn\./, '')),
  );
  for (const row of src.rows) {
    const m = row.module?.value;
    if (typeof m !== 'string') continue;
    const bare = m.replace(/^(torch\.)?nn\./, '');
    if (!v5.has(bare) && ultra.has(bare)) return { family: ultralyticsFamily, why: `${m} is an Ultralytics module` };
  }
  const last = src.rows[src.rows.length - 1];
  const head = last?.module?.value;
  const given = last?.args?.value.length ?? 0;
  if ((head === 'Detect' && given < 2) || (head === 'Segment' && given < 4))
    return { family: ultralyticsFamily, why: `its ${head} head has no anchors` };
  return { family: yolov5Family, why: 'it is a YOLOv5 config' };
}
