/**
 * tfjs-wasm's threaded build starts its helper threads from the text of its Emscripten factory
 * (`factory.toString()`). Bundled and minified, that text refers to names of the bundle that the helper
 * threads do not have ("e is not defined"), so the bundle gets this stand-in for
 * `wasm-out/tfjs-backend-wasm-threaded-simd.js` (vite.renderer.config.ts aliases it): it calls the bundled
 * factory, and its text is the original, self-contained Emscripten glue.
 */
import * as glue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import glueSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

type Factory = (config: object) => Promise<unknown>;
const bundled = ((glue as { default?: Factory }).default ?? glue) as Factory;

function WasmBackendModuleThreadedSimd(config: object) {
  return bundled(config);
}
WasmBackendModuleThreadedSimd.toString = () =>
  `(function () {\n${glueSource}\nreturn WasmBackendModuleThreadedSimd;\n})()`;

export default WasmBackendModuleThreadedSimd;
