/** Tests run the CLI in this process (spawning tsx costs seconds on a busy machine), capturing its output. */
import { vi } from 'vitest';
import { main } from '../cli/main.ts';

export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string; stdout: Buffer }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
  try {
    const code = await main(args);
    return { code, out, err, stdout: Buffer.from(out, 'utf8') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
