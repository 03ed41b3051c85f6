// Forge's Vite plugin builds the main process with this config (CommonJS: the package is "type": "module").
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    lib: { entry: 'electron/main.ts', formats: ['cjs'], fileName: () => 'main.cjs' },
    rollupOptions: { external: ['electron', /^node:/] },
  },
});
