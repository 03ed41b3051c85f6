/** Reading PyTorch (.pt) checkpoints as data: zip archive, restricted unpickler, YOLOv5 model, YAML. */
export * from './zip.ts';
export * from './pickle.ts';
export * from './checkpoint.ts';
export * from './yaml.ts';
