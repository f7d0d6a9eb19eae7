import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { MockState } from '../../build/mock/state.ts';

export interface RawServer {
  url: string;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * A loopback TCP server for faults MSW cannot fake: the first `resets`
 * connections are reset (ECONNRESET) or left hanging (`mode: 'hang'`, for
 * ESOCKETTIMEDOUT); later ones get a real token from `state`, recorded in its log.
 */
export async function startRawTokenServer(state: MockState, resets: number, mode: 'reset' | 'hang' = 'reset'): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  const result: RawServer = { url: '', connections: 0, close: async () => undefined };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    result.connections++;
    if (result.connections <= resets) {
      state.record({ kind: 'token', method: 'POST', host: 'raw', path: '/oauth/token', status: 0, error: `fault:${mode}` });
      if (mode === 'reset') socket.resetAndDestroy();
      return;
    }
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(seen)?.[1] ?? '0');
      if (seen.length < end + 4 + length) return;
      const client = [...state.clients.values()][0]!;
      const token = state.issueToken(client, 'client_credentials');
      state.record({ kind: 'token', method: 'POST', host: 'raw', path: '/oauth/token', status: 200, grant: 'client_credentials', tokenId: token.id });
      const body = JSON.stringify({ access_token: token.value, token_type: 'bearer', expires_in: 3600 });
      socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  result.url = `http://127.0.0.1:${port}/oauth/token`;
  result.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return result;
}

/** A loopback port with nothing listening (ECONNREFUSED). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
