import { describe, expect, it } from 'vitest';
import { fileRole, shellQuote, sizeText, ultralyticsSteps, yolov5Steps } from './export-dialog.ts';
import { yamlFileName } from './ask.ts';

const files = ['net.yaml', 'yolov5-v7.0.patch', 'yolov5-master.patch'];

describe('the commands after Export for YOLOv5', () => {
  it('from a zip: unzip, then apply the v7.0 patch and train with the YAML beside the checkout', () => {
    const steps = yolov5Steps(
      'net',
      files,
      { target: 'zip', file: 'net-yolov5.zip', folder: 'net-yolov5', files },
      false,
    );
    expect(steps.map((s) => s.command)).toEqual([
      'unzip net-yolov5.zip',
      'cd yolov5',
      'git apply ../net-yolov5/yolov5-v7.0.patch',
      "python train.py --cfg ../net-yolov5/net.yaml --data coco128.yaml --weights ''",
    ]);
  });

  it('from a desktop folder: its absolute path, quoted for the shell; no patch, no git apply', () => {
    const steps = yolov5Steps(
      "it's",
      ["it's.yaml"],
      { target: 'folder', folder: '/home/me/My Exports/', files: ["it's.yaml"] },
      true,
    );
    expect(steps.map((s) => s.command)).toEqual([
      'cd yolov5',
      `python train.py --cfg '/home/me/My Exports/it'\\''s.yaml' --data coco128.yaml --weights ''`,
    ]);
  });

  it('names what each file is and how big', () => {
    expect(files.map((f) => fileRole('net', f))).toEqual(['model', 'patchV7', 'patchMaster']);
    expect(fileRole('net', 'net.modules.yaml')).toBe('modules');
    expect(sizeText(900)).toBe('900 B');
    expect(sizeText(3900)).toBe('3.8 KB');
    expect(shellQuote('a/b-c.yaml')).toBe('a/b-c.yaml');
  });
});

describe("a download's file name", () => {
  it('gets .yaml when it has no YAML extension and refuses folders and empty names', () => {
    expect(yamlFileName(' my net ')).toBe('my net.yaml');
    expect(yamlFileName('a.yml')).toBe('a.yml');
    expect(yamlFileName('a/b.yaml')).toBeNull();
    expect(yamlFileName('..')).toBeNull();
    expect(yamlFileName('  ')).toBeNull();
  });
});

describe('the steps after Export for Ultralytics', () => {
  it('apply the patch in an ultralytics checkout, install it, train the YAML whose name carries the scale', () => {
    const written = {
      target: 'zip' as const,
      file: 'yolo11s-ultralytics.zip',
      folder: 'yolo11s-ultralytics',
      files: ['yolo11s.yaml'],
    };
    expect(
      ultralyticsSteps('yolo11s.yaml', ['yolo11s.yaml', 'ultralytics-8.3.253.patch'], written, false).map(
        (s) => s.command,
      ),
    ).toEqual([
      'unzip yolo11s-ultralytics.zip',
      'cd ultralytics',
      'git apply ../yolo11s-ultralytics/ultralytics-8.3.253.patch',
      'pip install -e .',
      'yolo train model=../yolo11s-ultralytics/yolo11s.yaml data=coco8.yaml',
    ]);
    expect(fileRole('yolo11s.yaml', 'ultralytics-8.3.253.patch')).toBe('patchUltralytics');
    expect(fileRole('yolo11s.yaml', 'yolo11s.yaml')).toBe('model');
  });
});
