// The preload runs sandboxed, so it is one CommonJS file.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
