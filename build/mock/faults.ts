import { delay, HttpResponse } from 'msw';

/**
 * One injected fault. `times` (default 1) is how many consecutive calls it hits.
 * - `status`: answer this status with `body` (a string is sent as is, with
 *   `contentType`, default text/html; an object as JSON) and `headers`;
 * - `network`: a network error (the connection fails, no HTTP response);
 * - `delay`: wait `ms`, then answer normally (for request timeouts);
 * - `revoke`: revoke every token issued so far, then answer normally (API only).
 */
export type Fault = { times?: number } & (
  | { type: 'status'; status: number; body?: string | Record<string, unknown>; contentType?: string; headers?: Record<string, string> }
  | { type: 'network' }
  | { type: 'delay'; ms: number }
  | { type: 'revoke' }
);

/** A scenario: faults queued per endpoint, consumed one call at a time, in order. */
export interface FaultScenario {
  token?: Fault[];
  api?: Fault[];
  /** Revoke every token once this many API requests have been answered. */
  revokeAfterApiCalls?: number;
}

export type FaultTarget = 'token' | 'api';

/** What `applyFault` decided: answer with `response`, or carry on (after a delay or revocation). */
export type FaultOutcome = { response: Response; status: number; label: string } | { label: string } | undefined;

/** The fault queue a `MockState` carries; tests and `POST /__mock/scenario` set it. */
export class FaultPlan {
  token: Fault[] = [];
  api: Fault[] = [];
  revokeAfterApiCalls: number | undefined;
  /** Faults consumed so far, for assertions. */
  applied: Array<{ target: FaultTarget; label: string }> = [];

  set(scenario: FaultScenario): void {
    this.token = (scenario.token ?? []).map((f) => ({ ...f }));
    this.api = (scenario.api ?? []).map((f) => ({ ...f }));
    this.revokeAfterApiCalls = scenario.revokeAfterApiCalls;
    this.applied = [];
  }

  clear(): void {
    this.set({});
  }

  /** Takes the next fault for `target`, honouring `times`. */
  next(target: FaultTarget): Fault | undefined {
    const queue = this[target];
    const head = queue[0];
    if (!head) return undefined;
    const left = (head.times ?? 1) - 1;
    if (left <= 0) queue.shift();
    else head.times = left;
    return head;
  }
}

function describe(fault: Fault): string {
  switch (fault.type) {
    case 'status':
      return `fault:status ${fault.status}`;
    case 'network':
      return 'fault:network';
    case 'delay':
      return `fault:delay ${fault.ms}ms`;
    case 'revoke':
      return 'fault:revoke';
  }
}

/**
 * Applies the next queued fault of `target`, if any. Called first thing in the
 * token and API handlers. `revoke` is the caller's to carry out (it owns the tokens).
 */
export async function applyFault(plan: FaultPlan, target: FaultTarget, request: Request): Promise<FaultOutcome> {
  const fault = plan.next(target);
  if (!fault) return undefined;
  // Read the body first: answering before the client's body is consumed can stall it.
  if (fault.type !== 'delay' && fault.type !== 'revoke') await request.clone().arrayBuffer().catch(() => undefined);
  const label = describe(fault);
  plan.applied.push({ target, label });
  switch (fault.type) {
    case 'network':
      return { response: HttpResponse.error() as unknown as Response, status: 0, label };
    case 'delay':
      await delay(fault.ms);
      return { label };
    case 'revoke':
      return { label };
    case 'status': {
      const headers: Record<string, string> = { ...(fault.headers ?? {}) };
      if (typeof fault.body === 'string' || fault.body === undefined) {
        const body = fault.body ?? '';
        headers['Content-Type'] ??= fault.contentType ?? 'text/html; charset=utf-8';
        // An explicit length: without it newman's client stalls on a mocked non-2xx text body.
        headers['Content-Length'] = String(Buffer.byteLength(body));
        return { response: new HttpResponse(body, { status: fault.status, headers }), status: fault.status, label };
      }
      return { response: HttpResponse.json(fault.body, { status: fault.status, headers }), status: fault.status, label };
    }
  }
}

/** Validates a scenario received over HTTP; returns an error message or the scenario. */
export function parseScenario(value: unknown): FaultScenario | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the scenario must be a JSON object';
  const input = value as Record<string, unknown>;
  const out: FaultScenario = {};
  for (const target of ['token', 'api'] as const) {
    const list = input[target];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `"${target}" must be an array of faults`;
    for (const [i, fault] of list.entries()) {
      const type = fault && typeof fault === 'object' ? (fault as Record<string, unknown>)['type'] : undefined;
      if (type !== 'status' && type !== 'network' && type !== 'delay' && type !== 'revoke') {
        return `"${target}[${i}].type" must be status, network, delay or revoke`;
      }
      if (type === 'status' && typeof (fault as Record<string, unknown>)['status'] !== 'number') {
        return `"${target}[${i}].status" must be a number`;
      }
      if (type === 'delay' && typeof (fault as Record<string, unknown>)['ms'] !== 'number') {
        return `"${target}[${i}].ms" must be a number`;
      }
    }
    out[target] = list as Fault[];
  }
  const after = input['revokeAfterApiCalls'];
  if (after !== undefined) {
    if (typeof after !== 'number' || !Number.isInteger(after) || after < 0) return '"revokeAfterApiCalls" must be a whole number';
    out.revokeAfterApiCalls = after;
  }
  return out;
}
