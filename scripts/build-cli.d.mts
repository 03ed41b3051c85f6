/** Types of build-cli.mjs (for the tests). */
export const CLI_DIR: string;
export function buildCli(): Promise<string>;
export function cliBuildOptions(outdir: string): import('esbuild').BuildOptions & { metafile: true };
export function bundleIsFresh(root?: string): boolean;
