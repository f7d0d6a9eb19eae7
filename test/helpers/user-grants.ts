import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../build/cli.ts';
import { injectIntoCollection, type InjectOptions } from '../../build/inject.ts';
import type { MockClient, MockState } from '../../build/mock/state.ts';
import { DEMO_USER } from '../../build/mock/state.ts';
import { builtBundle, requestsCollection } from './collections.ts';

export const POSTMAN_CALLBACK = 'https://oauth.pstmn.io/v1/callback';

/** The OAuth clients of the user-grant tests, as a Genesys admin (or a generic provider) would set them up. */
export const USER_CLIENTS = {
  /** Confidential "Code Authorization" client with a static refresh token. */
  code: { id: 'code-client', secret: 'code-client-secret', grants: ['authorization_code', 'refresh_token'], refreshTokens: 'static' },
  /** Genesys "Code Authorization (PKCE)": public, no refresh token. */
  pkce: { id: 'pkce-client', secret: undefined, grants: ['authorization_code'], refreshTokens: 'none' },
  /** A generic provider's public PKCE client with rotating refresh tokens. */
  pkceRotating: { id: 'pkce-rotating-client', secret: undefined, grants: ['authorization_code', 'refresh_token'], refreshTokens: 'rotating' },
  implicit: { id: 'implicit-client', secret: undefined, grants: ['implicit'], refreshTokens: 'none' },
  password: { id: 'password-client', secret: 'password-client-secret', grants: ['password', 'refresh_token'], refreshTokens: 'static' },
} as const satisfies Record<string, Partial<MockClient> & { id: string }>;

export function addUserClients(state: MockState, redirectUris: string[] = [POSTMAN_CALLBACK]): void {
  for (const client of Object.values(USER_CLIENTS)) {
    state.addClient({ ...client, grants: [...client.grants], name: client.id, redirectUris });
  }
}

export function setLifetime(state: MockState, clientId: string, seconds: number): void {
  const client = state.clients.get(clientId);
  if (!client) throw new Error(`no mock client ${clientId}`);
  client.tokenLifetimeSeconds = seconds;
}

/** `count` requests to the mock API, augmented with the built bundle for `grant`. */
export function userGrantCollection(count: number, options: InjectOptions): Record<string, unknown> {
  const collection = requestsCollection(count);
  injectIntoCollection(collection, builtBundle(), { provider: 'genesys', region: 'mypurecloud.ie', ...options }, 'requests.json');
  return collection;
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'oauth-kit-user-grants-'));
}

export function writeJson(file: string, data: unknown): string {
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

export function readJsonFile<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The value of `key` in a Postman environment object. */
export function envValue(env: { values: Array<{ key: string; value: unknown }> }, key: string): unknown {
  return env.values.find((v) => v.key === key)?.value;
}

/** Runs `postman-oauth-kit login ...` in-process and returns its output. */
export async function login(args: string[], env: Record<string, string>, cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['login', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env });
  return { code, stdout, stderr };
}

/** The authorization URL the login command printed. */
export function printedUrl(stdout: string): string {
  const match = /Open this URL in a browser to sign in:\n {2}(\S+)\n/.exec(stdout);
  if (!match) throw new Error(`no authorization URL in:\n${stdout}`);
  return match[1] as string;
}

/**
 * Signs in on the mock's HTML form over HTTP (GET the page, POST its fields),
 * like a browser without JavaScript, and returns where it redirects. The
 * browser test does the same in real Chromium.
 */
export async function submitSignIn(
  authorizeUrl: string,
  options: { username?: string; password?: string; action?: 'sign-in' | 'deny' } = {},
): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${html}`);
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.append(match[1] as string, (match[2] as string).replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))));
  }
  form.append('username', options.username ?? DEMO_USER.username);
  form.append('password', options.password ?? DEMO_USER.password);
  form.append('action', options.action ?? 'sign-in');
  const origin = /^https?:\/\/[^/]+/.exec(authorizeUrl)?.[0] ?? '';
  const response = await fetch(`${origin}/oauth/authorize`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return location;
}

/** The line a failed `[postman-oauth-kit]` check leaves in newman's failures. */
export function failureLine(message: string): string {
  return `[postman-oauth-kit] ${message}: ${message} The request was not sent.`;
}
