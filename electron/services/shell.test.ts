import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants.js';
import { flipFuses, FuseV1Options } from '@electron/fuses';
import { CrashPolicy } from './crash.ts';
import { guardedListener } from './ipc.ts';
import { contentSecurityPolicy, cspMetaPlugin } from './csp.ts';

describe('ipcMain.on listeners', () => {
  it('catch what they throw and what they reject, and report it with the channel', async () => {
    const seen: string[] = [];
    const report = (c: string, e: unknown) => seen.push(`${c}: ${(e as Error).message}`);
    const sync = guardedListener(
      'ya:set-dirty',
      () => {
        throw new Error('dirty must be true or false');
      },
      report,
    );
    const async = guardedListener(
      'ya:set-templates',
      async () => {
        throw new Error('disk full');
      },
      report,
    );
    expect(() => sync()).not.toThrow();
    expect(() => async()).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['ya:set-dirty: dirty must be true or false', 'ya:set-templates: disk full']);
    const ok: number[] = [];
    guardedListener('x', (n: number) => ok.push(n), report)(3);
    expect(ok).toEqual([3]);
  });
});

describe('a crashed page', () => {
  it('is reloaded; a clean exit is not; after repeated crashes within a minute it stops reloading', () => {
    const p = new CrashPolicy(3, 60_000);
    expect(p.onGone('clean-exit', 0)).toBe('ignore');
    expect(p.onGone('crashed', 0)).toBe('reload');
    expect(p.onGone('oom', 1000)).toBe('reload');
    expect(p.onGone('killed', 2000)).toBe('reload');
    expect(p.onGone('crashed', 3000)).toBe('give-up');
    // a minute later the count starts again
    expect(p.onGone('crashed', 200_000)).toBe('reload');
  });
});

describe('content security policy', () => {
  it('the built page and the desktop window allow no WebSocket; only the dev server page does (hot reload)', () => {
    expect(contentSecurityPolicy()).not.toMatch(/ws:/);
    expect(contentSecurityPolicy({ meta: true })).not.toMatch(/ws:/);
    expect(contentSecurityPolicy({ dev: true })).toMatch(
      /connect-src 'self' blob: data: ws:\/\/127\.0\.0\.1:\* ws:\/\/localhost:\*/,
    );
    expect(contentSecurityPolicy()).toMatch(/frame-ancestors 'none'/);
    expect(contentSecurityPolicy({ meta: true })).not.toMatch(/frame-ancestors/);
    for (const d of [
      "script-src 'self' 'wasm-unsafe-eval'",
      "object-src 'none'",
      "base-uri 'none'",
      "default-src 'self'",
    ])
      expect(contentSecurityPolicy()).toContain(d);
  });

  it('the Vite plugin writes the strict policy into a built index.html and the dev one when serving', () => {
    const meta = (command: 'build' | 'serve') => {
      const p = cspMetaPlugin();
      p.configResolved({ command });
      const [tag] = p.transformIndexHtml();
      expect(tag).toMatchObject({ tag: 'meta', injectTo: 'head-prepend' });
      return tag.attrs.content;
    };
    expect(meta('build')).toBe(contentSecurityPolicy({ meta: true }));
    expect(meta('build')).not.toMatch(/ws:/);
    expect(meta('serve')).toMatch(/ws:\/\/localhost/);
  });

  it('index.html has no policy of its own (one list, in csp.ts)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/Content-Security-Policy/i);
  });
});

describe('Electron fuses', () => {
  it("Forge's fuses plugin flips RunAsNode off, cookie encryption on, app only from asar, NODE_OPTIONS and --inspect off, no file: privileges", async () => {
    const { default: config, FUSES } = await import('../../forge.config.ts');
    const plugin = config.plugins!.find((p) => (p as { name?: string }).name === 'fuses') as unknown as {
      fusesConfig: unknown;
    };
    expect(plugin?.fusesConfig).toBe(FUSES);
    // the config applied by @electron/fuses to a stand-in binary with Electron's fuse wire (all on, as shipped)
    const bin = join(mkdtempSync(join(tmpdir(), 'ya-fuses-')), 'electron');
    const wire = Buffer.from([1, 8, ...Array(8).fill(FuseState.ENABLE)]);
    writeFileSync(bin, Buffer.concat([Buffer.from('ELF...'), Buffer.from(SENTINEL), wire, Buffer.from('...')]));
    await flipFuses(bin, FUSES);
    const out = readFileSync(bin);
    const at = out.indexOf(SENTINEL) + SENTINEL.length + 2;
    const state = (o: FuseV1Options) => (out[at + o] === FuseState.ENABLE ? 'on' : 'off');
    expect({
      RunAsNode: state(FuseV1Options.RunAsNode),
      EnableCookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      EnableNodeOptionsEnvironmentVariable: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      EnableNodeCliInspectArguments: state(FuseV1Options.EnableNodeCliInspectArguments),
      EnableEmbeddedAsarIntegrityValidation: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      OnlyLoadAppFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      GrantFileProtocolExtraPrivileges: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      RunAsNode: 'off',
      EnableCookieEncryption: 'on',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
      GrantFileProtocolExtraPrivileges: 'off',
    });
  });
});
