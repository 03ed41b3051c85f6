import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { serve } from './harness.ts';

describe('serve (the e2e and benchmark pages server)', () => {
  it('closes while a connection that never sent a request is still open (Chromium opens sockets ahead)', async () => {
    const server = await serve(import.meta.dirname);
    const { port } = new URL(server.url);
    const sock = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    try {
      const closed = await Promise.race([
        server.close().then(() => 'closed'),
        new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000)),
      ]);
      expect(closed).toBe('closed');
    } finally {
      sock.destroy();
    }
  });

  it('answers cross-origin isolated while open', async () => {
    const server = await serve(import.meta.dirname);
    try {
      const res = await fetch(`${server.url}harness.test.ts`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    } finally {
      await server.close();
    }
  });
});
