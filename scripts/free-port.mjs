// The first port from `preferred` on that nobody listens on (so `npm start` never fails on a busy port).
import net from 'node:net';

/** Whether a server can listen on host:port now. */
export function canListen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** `preferred`, or the next free port after it (up to `tries` of them); throws when all are taken. */
export async function freePort(preferred, host = '127.0.0.1', tries = 50) {
  for (let port = preferred; port < preferred + tries && port <= 65535; port++)
    if (await canListen(port, host)) return port;
  throw new Error(`ports ${preferred} to ${preferred + tries - 1} are all in use`);
}

/** The port `npm start` serves on, and the line that says so when it is not the preferred one. */
export async function choosePort(preferred, host = '127.0.0.1') {
  const port = await freePort(preferred, host);
  return { port, note: port === preferred ? null : `Port ${preferred} is in use; using port ${port} instead.` };
}
