/** Types of build-cli.mjs (for the tests). */
export const CLI_DIR: string;
export function buildCli(): Promise<string>;
export function bundleIsFresh(root?: string): boolean;
