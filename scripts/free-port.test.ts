import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { choosePort, freePort } from './free-port.mjs';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port, host: '127.0.0.1' }, () => resolve(s));
  });
const close = (s: net.Server) => new Promise((r) => s.close(r));

describe('npm start on a busy port', () => {
  it('takes the preferred port when it is free, and the next free one when it is taken', async () => {
    const probe = await listen(0);
    const port = (probe.address() as net.AddressInfo).port;
    expect(await freePort(port)).toBe(port + 1 > 65535 ? port : port + 1);
    await close(probe);
    expect(await freePort(port)).toBe(port);
    const a = await listen(port);
    const b = await listen(port + 1).catch(() => null);
    expect(await freePort(port)).toBeGreaterThan(b ? port + 1 : port);
    await close(a);
    if (b) await close(b);
  });

  it('says which port it took instead of failing', async () => {
    const busy = await listen(0);
    const port = (busy.address() as net.AddressInfo).port;
    const next = await freePort(port);
    expect(await choosePort(port)).toEqual({ port: next, note: `Port ${port} is in use; using port ${next} instead.` });
    await close(busy);
    expect(await choosePort(port)).toEqual({ port, note: null });
  });
});
