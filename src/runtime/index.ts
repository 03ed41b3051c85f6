/**
 * src/runtime public API (worker-safe: no DOM or Node APIs; Node helpers are in backend-node.ts and
 * image-node.ts). In a worker: useBackend(['webgl', 'wasm', 'cpu'], { wasmPath }), loadModel(text, {...}),
 * runImage(model, rgbImage, {...}) or runTensor(model, nchw), model.dispose().
 */
export * from './backend.ts';
export * from './letterbox.ts';
export * from './model.ts';
export * from './network.ts';
export * from './nms.ts';
export * from './runtime.ts';
export * from './safetensors.ts';
export * from './weights.ts';
