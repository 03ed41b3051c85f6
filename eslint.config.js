// Lint: TypeScript rules plus the layering rule (DESIGN.md): imports point down only.
//   renderer, src/cli -> src/runtime -> src/core;  electron, renderer -> src/desktop (the desktop contract);
//   src/core imports nothing of ours outside src/core and no Node, DOM or tfjs module; src/desktop imports nothing.
// Import circles are checked by scripts/no-cycles.mjs (npm run lint).
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'url',
  'crypto',
  'stream',
  'util',
  'http',
  'https',
  'net',
  'zlib',
];
const nodePatterns = ['node:*', ...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`)];

const layer = (files, forbidden, message) => ({
  files,
  // tests sit beside the code and may read files (through src/testing)
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group, message })) }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', '.vite', 'coverage', 'test-results', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'prefer-const': 'error',
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [
      ['**/runtime/**', '**/cli/**', '**/renderer/**', '**/electron/**'],
      ['@tensorflow/*', 'react', 'react-*', '@xyflow/*', 'electron'],
      nodePatterns,
    ],
    'src/core is pure: it may import only src/core and pure libraries (no Node, DOM, tfjs or upper layers).',
  ),
  layer(
    ['src/runtime/**/*.ts'],
    [
      ['**/cli/**', '**/renderer/**', '**/electron/**'],
      ['react', 'react-*', '@xyflow/*', 'electron'],
    ],
    'src/runtime may import only src/core and libraries.',
  ),
  layer(
    ['src/cli/**/*.ts'],
    [
      ['**/renderer/**', '**/electron/**'],
      ['react', 'react-*', '@xyflow/*', 'electron'],
    ],
    'src/cli may import src/runtime and src/core only.',
  ),
  layer(
    ['electron/**/*.ts'],
    [
      ['**/renderer/**', '**/src/core/**', '**/src/runtime/**', '**/src/cli/**', '**/src/testing/**'],
      ['react', 'react-*', '@xyflow/*', '@tensorflow/*'],
    ],
    'electron/ may import Node, Electron and the desktop contract (src/desktop/contract.ts), never renderer or src internals.',
  ),
  layer(
    ['src/desktop/**/*.ts'],
    [['../*', './*/**'], ['electron', 'react', 'react-*', '@xyflow/*', '@tensorflow/*'], nodePatterns],
    'src/desktop is the contract between electron/ and renderer/: types and data, importing nothing.',
  ),
  layer(
    ['renderer/**/*.{ts,tsx}'],
    [['**/electron/**', '**/cli/**'], ['electron'], nodePatterns],
    'renderer reaches files and the OS only through its Host, never Node, Electron or the CLI.',
  ),
);
