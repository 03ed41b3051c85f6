// The Ultralytics templates (configs/ultralytics, ours) say how Ultralytics reads a scale from a file name with
// an example of their own model, which does read as scale n.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaleFromName } from '../parse-model/ultralytics.ts';
import { PROJECT_DIR } from '../../testing/reference-paths.ts';

describe('the Ultralytics templates', () => {
  const dir = join(PROJECT_DIR, 'configs/ultralytics');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it("give their own model's file name as the example of a scale read from it (yolov8n-seg.yaml for yolov8-seg)", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const example = /\((\S+\.yaml) is scale n\)/.exec(readFileSync(join(dir, f), 'utf8'))?.[1];
      expect(example, f).toBe(f.replace(/^(yolov8|yolo11)/, '$1n'));
      expect(scaleFromName(example!), f).toBe('n');
    }
  });
});
