import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHandlers } from './handlers.ts';
import { MockState, type MockOptions } from './state.ts';

export interface RunningMock {
  state: MockState;
  /** `http://127.0.0.1:<port>`: login and API share this origin. */
  origin: string;
  tokenUrl: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the mock's MSW handlers as a real HTTP server on loopback, for the
 * Postman app and for `newman` run as a child process. Port 0 picks a free port.
 */
export async function startMockServer(
  options: MockOptions & { port?: number; host?: string; state?: MockState } = {},
): Promise<RunningMock> {
  const state = options.state ?? new MockState(options);
  // The cast bridges msw's ESM and CJS type declarations (the same runtime objects).
  // Loaded on use: it brings express, which only the loopback mock needs.
  const { createServer } = await import('@mswjs/http-middleware');
  const app = createServer(...(createHandlers(state) as unknown as Parameters<typeof createServer>));
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s: Server = app.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    state,
    origin,
    tokenUrl: `${origin}/oauth/token`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
