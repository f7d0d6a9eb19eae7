import type { NewmanRunOptions, NewmanRunSummary } from 'newman';
import newman from 'newman';
import { setupServer } from 'msw/node';
import { createHandlers } from '../../build/mock/handlers.ts';
import { MockState, type MockOptions } from '../../build/mock/state.ts';

export interface RunResult {
  /** Run-level error (newman could not run), kept apart from assertion failures. */
  error: Error | null;
  summary: NewmanRunSummary;
  /** Every console line the scripts printed, as one string each. */
  console: string[];
  /** Failed assertions as "test name: message". */
  failures: string[];
  /** Names of the items whose request was actually sent. */
  sent: string[];
  exitCode: number;
}

/** Runs newman in-process; the caller sets up whatever intercepts its HTTP. */
export function runCollection(options: NewmanRunOptions): Promise<RunResult> {
  const consoleLines: string[] = [];
  return new Promise((resolve) => {
    const emitter = newman.run({ reporters: [], ...options }, (error, summary) => {
      const failures = summary.run.failures.map((f) => `${f.error.test ?? f.error.name}: ${f.error.message}`);
      // pm.sendRequest calls fire newman's request event too, so an item skipped
      // after a failed token call still carries the token endpoint's response.
      const sent = summary.run.executions
        .filter((e) => e.response !== undefined && !/\/oauth\/token$/.test(e.request.url.getPath()))
        .map((e) => e.item.name);
      resolve({
        error: error ?? null,
        summary,
        console: consoleLines,
        failures,
        sent,
        exitCode: error || summary.run.failures.length > 0 ? 1 : 0,
      });
    });
    emitter.on('console', (_err: unknown, args: { messages: unknown[] }) => {
      consoleLines.push(args.messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
    });
  });
}

/**
 * The mock Genesys login and API hosts, in-process (MSW `setupServer`) with the
 * real hostnames kept. Any request no handler matches fails the test.
 */
export function startInProcessMock(options: MockOptions = {}): { state: MockState; server: ReturnType<typeof setupServer> } {
  const state = new MockState(options);
  const server = setupServer(...createHandlers(state));
  server.listen({ onUnhandledRequest: 'error' });
  return { state, server };
}
