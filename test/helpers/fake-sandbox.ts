import type { TokenHttpRequest, TokenHttpResponse } from '../../scripts-src/http.ts';
import type { Sandbox, VariableStore } from '../../scripts-src/sandbox.ts';

/** A scope-less in-memory Sandbox for unit tests of the script's core. */
export interface FakeSandbox extends Sandbox {
  variables: Map<string, string>;
  stored: Map<string, string>;
  local: Map<string, string>;
  sent: TokenHttpRequest[];
  failures: Array<{ name: string; message: string }>;
  logs: string[];
  skipped: number;
  clock: { now: number };
  respond: (request: TokenHttpRequest) => TokenHttpResponse | Promise<TokenHttpResponse>;
}

export function fakeSandbox(
  variables: Record<string, string> = {},
  options: { vault?: Record<string, string> | 'denied'; canSkip?: boolean; now?: number } = {},
): FakeSandbox {
  const vars = new Map(Object.entries(variables));
  const stored = new Map<string, string>();
  const local = new Map<string, string>();
  const store: VariableStore = {
    get: (name) => stored.get(name),
    set: (name, value) => void stored.set(name, value),
    unset: (name) => void stored.delete(name),
  };
  const getVariable = (name: string) => local.get(name) ?? stored.get(name) ?? vars.get(name);
  const sandbox: FakeSandbox = {
    variables: vars,
    stored,
    local,
    sent: [],
    failures: [],
    logs: [],
    skipped: 0,
    clock: { now: options.now ?? Date.UTC(2026, 11, 4, 12, 0, 0) },
    respond: () => ({ status: 500, headers: {}, body: '' }),
    getVariable,
    replaceIn: (template) => template.replace(/\{\{([^{}]+)\}\}/g, (m, name: string) => getVariable(name) ?? m),
    setLocal: (name, value) => void local.set(name, value),
    store,
    vault:
      options.vault === undefined
        ? undefined
        : {
            get: async (key: string) => {
              if (options.vault === 'denied') throw new Error('Vault access denied');
              return (options.vault as Record<string, string>)[key] ?? null;
            },
          },
    send: async (request) => {
      sandbox.sent.push(request);
      return sandbox.respond(request);
    },
    now: () => sandbox.clock.now,
    requestAuth: () => undefined,
    fail: (name, message) => void sandbox.failures.push({ name, message }),
    canSkipRequest: () => options.canSkip ?? true,
    skipRequest: () => void sandbox.skipped++,
    log: (message) => void sandbox.logs.push(message),
  };
  return sandbox;
}

export function jsonResponse(status: number, body: unknown): TokenHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
