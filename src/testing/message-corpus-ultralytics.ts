/**
 * The Ultralytics family's part of the bad-input corpus (message-corpus.ts): configs of that family broken on
 * purpose, one or more per message its parse_model and modules say. Each name starts as the model file would,
 * so the scale comes from it (yolo11n: scale n) unless the case is about the scale.
 */

/** A small Ultralytics config: its scales, the given rows and head, header lines replaceable (null: left out). */
export function ul(backbone: string[], head: string[] = [], header: Record<string, string | null> = {}): string {
  const h: Record<string, string | null> = { nc: '2', scales: '{n: [0.50, 0.25, 1024]}', ...header };
  const lines = Object.entries(h)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  const list = (rows: string[]) => rows.map((r) => `  - ${r}\n`).join('');
  return `${lines.join('\n')}\nbackbone:\n${list(backbone)}head:${head.length ? `\n${list(head)}` : ' []\n'}`;
}
/** Two convolutions (16 and 32 channels at scale n), the rows under test read them. */
const TWO = ['[-1, 1, Conv, [64, 3, 2]]', '[-1, 1, Conv, [128, 3, 2]]'];
const HEAD = ['[[0, 1], 1, Detect, [nc]]'];
const rowsUl = (...r: string[]) => ul([...TWO, ...r], HEAD);

/** [what (the file name, less .yaml), text, imgsz?, scale?] */
export const ULTRALYTICS_BROKEN: [string, string, number?, string?][] = [
  ['yolo11 without a scale in its name', ul(TWO, HEAD)],
  ['yolo11n scales not a mapping', ul(TWO, HEAD, { scales: '3' })],
  ['yolo11n scale of two numbers', ul(TWO, HEAD, { scales: '{n: [0.50, 0.25]}' })],
  ['yolo11x scale not in the file', ul(TWO, HEAD)],
  ['yolo11n scale asked for, not in the file', ul(TWO, HEAD), undefined, 'm'],
  ['yolo11n scale asked for, no scales', ul(TWO, HEAD, { scales: null }), undefined, 's'],
  ['yolo11n depth_multiple beside scales', ul(TWO, HEAD, { depth_multiple: '0.33' })],
  ['yolov8n width_multiple of 0', ul(TWO, HEAD, { scales: null, width_multiple: '0' })],
  ['yolo11n without nc', ul(TWO, HEAD, { nc: null })],
  ['yolo11n nc of 0', ul(TWO, HEAD, { nc: '0' })],
  ['yolo11n activation not a module', ul(TWO, HEAD, { activation: 'foo' })],
  ['yolo11n one input channel', ul(TWO, HEAD, { ch: '1' })],
  ['yolo11n channels of 0', ul(TWO, HEAD, { channels: '0' })],
  ['yolo11n anchors', ul(TWO, HEAD, { anchors: '[[10, 13]]' })],
  ['yolo11n channel_multiple', ul(TWO, HEAD, { channel_multiple: '16' })],
  ['yolo11n parse_model variable as argument', rowsUl('[-1, 1, Conv, [64, 3, d]]')],
  ['yolo11n argument not Python', rowsUl("[-1, 1, Conv, [64, '3 +']]")],
  ['yolo11n activation as a string', rowsUl("[-1, 1, Conv, [64, 3, 1, None, 1, 1, 'nn.ReLU()']]")],
  ['yolo11n Conv of two layers', rowsUl('[[0, 1], 1, Conv, [64]]')],
  ['yolo11n Conv without arguments', rowsUl('[-1, 1, Conv, []]')],
  ['yolo11n C3k2 channels a word', rowsUl('[-1, 1, C3k2, [abc]]')],
  ['yolo11n HGStem of one number', rowsUl('[-1, 1, HGStem, [32]]')],
  ['yolo11n ResNetLayer of two numbers', rowsUl('[-1, 1, ResNetLayer, [64, 64]]')],
  ['yolo11n ResNetLayer c2 a word', rowsUl('[-1, 1, ResNetLayer, [64, abc, 1, True, 1]]')],
  ['yolo11n Concat of one layer', rowsUl('[-1, 1, Concat, [1]]')],
  ['yolo11n Concat of a CBLinear', rowsUl('[-1, 1, CBLinear, [[32, 64]]]', '[[-1, 0], 1, Concat, [1]]')],
  ['yolo11n Detect of one layer', ul(TWO, ['[-1, 1, Detect, [nc]]'])],
  ['yolo11n Segment without nm and npr', ul(TWO, ['[[0, 1], 1, Segment, [nc]]'])],
  ['yolo11n Segment npr a word', ul(TWO, ['[[0, 1], 1, Segment, [nc, 32, abc]]'])],
  ['yolo11n Segment masks a fraction', ul(TWO, ['[[0, 1], 1, Segment, [nc, 1.5, 256]]'])],
  ['yolo11n Pose of one keypoint value', ul(TWO, ['[[0, 1], 1, Pose, [nc, [17]]]'])],
  ['yolo11n Detect nc 0', ul(TWO, ['[[0, 1], 1, Detect, [0]]'])],
  ['yolo11n RTDETRDecoder of one layer', ul(TWO, ['[-1, 1, RTDETRDecoder, [nc]]'])],
  ['yolo11n RTDETRDecoder nc 0', ul(TWO, ['[[0, 1], 1, RTDETRDecoder, [0]]'])],
  ['yolo11n RTDETRDecoder 7 heads', ul(TWO, ['[[0, 1], 1, RTDETRDecoder, [nc, 256, 300, 4, 7]]'])],
  ['yolo11n RTDETRDecoder on a small image', ul(TWO, ['[[0, 1], 1, RTDETRDecoder, [nc]]']), 16],
  ['yolo11n YOLOEDetect embedding too narrow', ul(TWO, ['[[0, 1], 1, YOLOEDetect, [nc, 8, True]]'])],
  ['yolo11n YOLOEDetect without batch norm', ul(TWO, ['[[0, 1], 1, YOLOEDetect, [nc, 512, False]]'])],
  ['yolo11n CBLinear without widths', rowsUl('[-1, 1, CBLinear, []]')],
  ['yolo11n CBFuse of one layer', rowsUl('[-1, 1, CBFuse, [[0]]]')],
  ['yolo11n CBFuse of a Conv', rowsUl('[[0, 1], 1, CBFuse, [[0]]]')],
  ['yolo11n CBFuse group 5 of 2', rowsUl('[-1, 1, CBLinear, [[16, 32]]]', '[[2, 1], 1, CBFuse, [[5]]]')],
  ['yolo11n CBFuse sum of other widths', rowsUl('[-1, 1, CBLinear, [[16, 32]]]', '[[2, 1], 1, CBFuse, [[0]]]')],
  ['yolo11n Index without arguments', rowsUl('[-1, 1, Index, []]')],
  ['yolo11n Index', rowsUl('[-1, 1, Index, [64, 0]]')],
  ['yolo11n TorchVision resnet18 cut short', ul(['[-1, 1, TorchVision, [256, resnet18, DEFAULT, True, 2]]'], [])],
  ['yolo11n TorchVision convnext', ul(['[-1, 1, TorchVision, [768, convnext_tiny, DEFAULT, True, 2, True]]'], [])],
  ['yolo11n without a head', ul(TWO, [])],
  ['yolo11n torch.nn.Upsample', rowsUl('[-1, 1, torch.nn.Upsample, [None, 2, nearest]]')],
  ['yolo11n Upsample without nn', rowsUl('[-1, 1, Upsample, [None, 2, nearest]]')],
  ['yolo11n C3k, an inner block', rowsUl('[-1, 1, C3k, [64]]')],
  ['yolo11n unknown module', rowsUl('[-1, 1, Frob, [64]]')],
  ['yolo11n misspelt module', rowsUl('[-1, 1, C3k3, [64]]')],
  ['yolo11n argument missing', rowsUl('[-1, 1, TorchVision, [64]]')],
  ['yolo11n AIFI on the image', ul(['[-1, 1, AIFI, [1024, 1]]', ...TWO], ['[[1, 2], 1, Detect, [nc]]'])],
];
