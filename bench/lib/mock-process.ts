import { spawn } from 'node:child_process';
import type { LogEntry } from '../../build/mock/state.ts';
import { DIST_CLI } from './paths.ts';
import { stopChild, track } from './processes.ts';

export interface MockStats {
  tokenCalls: number;
  tokensIssued: number;
  apiCalls: number;
  apiUnauthorized: number;
}

export interface MockProcess {
  origin: string;
  tokenUrl: string;
  lifetimeSeconds: number;
  stats(): Promise<MockStats>;
  log(): Promise<LogEntry[]>;
  /** Forgets the log AND every issued token (cached tokens stop working). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the project's own mock (`node dist/cli.js mock-server`) in a child
 * process on 127.0.0.1 with a free port, so its work does not share the event
 * loop with the newman run being timed.
 */
export async function startMockProcess(lifetimeSeconds: number): Promise<MockProcess> {
  const child = track(
    spawn(process.execPath, [DIST_CLI, 'mock-server', '--port', '0', '--host', '127.0.0.1', '--token-lifetime', String(lifetimeSeconds)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`mock server did not start in 20 s: ${out}${err}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock server exited (${code}) before listening: ${out}${err}`));
    });
  });
  const control = async (path: string, method = 'GET') => {
    const res = await fetch(`${origin}/__mock/${path}`, { method });
    if (!res.ok) throw new Error(`mock ${method} /__mock/${path}: HTTP ${res.status}`);
    return res;
  };
  return {
    origin,
    tokenUrl: `${origin}/oauth/token`,
    lifetimeSeconds,
    stats: async () => (await (await control('stats')).json()) as MockStats,
    log: async () => (await (await control('log')).json()) as LogEntry[],
    reset: async () => {
      await control('reset', 'POST');
    },
    stop: () => stopChild(child),
  };
}
