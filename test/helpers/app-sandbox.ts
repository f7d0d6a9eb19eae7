import { createRequire } from 'node:module';

/**
 * Runs a collection in postman-runtime 7.56 with postman-sandbox 6.x, the
 * engine of the Postman app (global Web Crypto, promise `pm.sendRequest`), in
 * this process, so an MSW `setupServer` intercepts its HTTP as it does newman's.
 */
const require = createRequire(import.meta.url);
// The runtime's own copy of postman-collection: the top-level one is another version.
const runtimeDir = require.resolve('postman-runtime/package.json').replace(/package\.json$/, '');
const runtime = require('postman-runtime') as {
  Runner: new () => { run(collection: unknown, options: unknown, callback: (error: Error | null, run: AppRun) => void): void };
};
const sdk = require(require.resolve('postman-collection', { paths: [runtimeDir] })) as {
  Collection: new (json: unknown) => unknown;
  VariableScope: new (json: unknown) => { values: { each(fn: (v: { key: string; value: unknown }) => void): void }; set(k: string, v: unknown): void };
};

interface AppRun {
  start(callbacks: Record<string, (...args: never[]) => void>): void;
}

export interface AppRunResult {
  failures: string[];
  console: string[];
  /** The environment after the run, as `key -> value`. */
  environment: Record<string, string>;
  /** Names of the items whose main request got a response. */
  sent: string[];
}

export function runInAppSandbox(collection: unknown, environment: Record<string, string>): Promise<AppRunResult> {
  const env = new sdk.VariableScope({ values: Object.entries(environment).map(([key, value]) => ({ key, value })) });
  const result: AppRunResult = { failures: [], console: [], environment: {}, sent: [] };
  return new Promise((resolve, reject) => {
    new runtime.Runner().run(new sdk.Collection(collection), { environment: env }, (error, run) => {
      if (error) return reject(error);
      run.start({
        console: (_cursor: unknown, _level: string, ...args: unknown[]) =>
          result.console.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
        assertion: (_cursor: unknown, assertions: Array<{ name: string; error?: { message: string } }>) => {
          for (const a of assertions) if (a.error) result.failures.push(`${a.name}: ${a.error.message}`);
        },
        response: (_error: unknown, _cursor: unknown, response: unknown, request: { url: { toString(): string } }, item: { name: string }) => {
          if (response && !/\/oauth\/token$/.test(request.url.toString())) result.sent.push(item.name);
        },
        done: (runError: Error | null) => {
          if (runError) return reject(runError);
          env.values.each((v) => (result.environment[v.key] = v.value === undefined || v.value === null ? '' : String(v.value)));
          resolve(result);
        },
      });
    });
  });
}
