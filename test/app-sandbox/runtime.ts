import { createRequire } from 'node:module';

/**
 * Runs a collection in postman-runtime (the engine of the Postman app: 7.5x
 * with postman-sandbox 6.x, promise `pm.sendRequest`, Web Crypto, `pm.vault`)
 * directly, not through newman (which pins the older 7.39 / sandbox 4.x).
 *
 * Vault: the runtime takes `vaultSecrets`, a VariableScope whose values are
 * keyed `vault:<key>` (type secret) and whose `_allowScriptAccess(itemId)`
 * decides what `pm.vault.get` may read; when it answers false the script gets
 * "Vault access denied", as in the app before the user grants the collection
 * access. The SDK classes must be postman-runtime's own copy of
 * postman-collection, hence the require from inside its folder.
 */
const rootRequire = createRequire(import.meta.url);
const runtimeRequire = createRequire(rootRequire.resolve('postman-runtime'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const runtime = runtimeRequire('postman-runtime') as Any;
const sdk = runtimeRequire('postman-collection') as Any;

export const RUNTIME_VERSION = (runtimeRequire('postman-runtime/package.json') as { version: string }).version;
export const SANDBOX_VERSION = (createRequire(runtimeRequire.resolve('postman-sandbox'))('postman-sandbox/package.json') as { version: string }).version;

export interface AppRunOptions {
  /** Postman Vault secrets by key (without the `vault:` prefix). */
  vault?: Record<string, string>;
  /** Whether scripts may read the vault ("Enable support in scripts" + collection access). Default true. */
  vaultAccess?: boolean;
  environment?: { key: string; value: string }[];
  /**
   * Current values of collection variables, as the app keeps them between two
   * Sends (pass the previous run's `collectionVariables`); a key the collection
   * does not declare is added.
   */
  collectionVariables?: Record<string, string>;
  iterationCount?: number;
}

export interface AppRunResult {
  assertions: { item: string; name: string; passed: boolean; error: string | undefined }[];
  /** Every HTTP request, pm.sendRequest ones included. */
  requests: { item: string; method: string; url: string; status: number | undefined; error: string | undefined }[];
  skipped: string[];
  console: string[];
  scriptErrors: string[];
  runError: Error | null;
  /** Collection variables (current values) after the run: what the app keeps for the next Send. */
  collectionVariables: Record<string, string>;
  /** Environment values after the run. */
  environment: Record<string, string>;
}

function valuesOf(scope: Any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((scope?.toObject?.() ?? {}) as Record<string, unknown>)) {
    out[key] = value === undefined || value === null ? '' : String(value);
  }
  return out;
}

/** Failed checks as `name: error` lines, the form newman reports them in. */
export function failureLines(result: AppRunResult): string[] {
  return result.assertions.filter((a) => !a.passed).map((a) => `${a.name}: ${a.error}`);
}

/** Names of the items whose own request got a response (token endpoint calls left out). */
export function sentItems(result: AppRunResult): string[] {
  return result.requests.filter((r) => r.status !== undefined && !/\/oauth\/token$/.test(r.url)).map((r) => r.item);
}

/** Runs `collection` (v2.1 JSON) in postman-runtime; resolves when the run is done. */
export function runInAppSandbox(collection: unknown, options: AppRunOptions = {}): Promise<AppRunResult> {
  const out: AppRunResult = {
    assertions: [],
    requests: [],
    skipped: [],
    console: [],
    scriptErrors: [],
    runError: null,
    collectionVariables: {},
    environment: {},
  };
  const sdkCollection = new sdk.Collection(collection);
  for (const [key, value] of Object.entries(options.collectionVariables ?? {})) sdkCollection.variables.upsert({ key, value });
  out.collectionVariables = valuesOf(new sdk.VariableScope({ values: sdkCollection.variables.toJSON() }));
  const environment = new sdk.VariableScope({ name: 'environment', values: options.environment ?? [] });
  const access = options.vaultAccess !== false;
  const runOptions: Record<string, unknown> = {
    environment,
    globals: new sdk.VariableScope({ name: 'globals', values: [] }),
    iterationCount: options.iterationCount ?? 1,
    timeout: { global: 60_000, request: 10_000, script: 10_000 },
    requester: { strictSSL: false, followRedirects: true, useWhatWGUrlParser: true },
    stopOnError: false,
  };
  if (options.vault) {
    runOptions['vaultSecrets'] = new sdk.VariableScope({
      prefix: 'vault:',
      values: Object.entries(options.vault).map(([key, value]) => ({ key: `vault:${key}`, value, type: 'secret' })),
      _allowScriptAccess: async () => access,
    });
  }
  return new Promise((resolve) => {
    new runtime.Runner().run(sdkCollection, runOptions, (error: Error | null, run: Any) => {
      if (error) {
        out.runError = error;
        resolve(out);
        return;
      }
      run.start({
        console(_cursor: unknown, level: string, ...messages: unknown[]) {
          out.console.push(`[${level}] ${messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
        },
        assertion(cursor: unknown, assertions: Any[]) {
          const item = String(run.resolveCursor(cursor)?.name ?? '');
          for (const a of assertions) out.assertions.push({ item, name: a.name, passed: a.passed, error: a.error?.message });
        },
        script(error: Error | null, _cursor: unknown, result: Any, _script: unknown, event: Any, item: Any) {
          // The run works on copies of the variable scopes: each script's result carries their state after it.
          if (result?.collectionVariables) out.collectionVariables = valuesOf(result.collectionVariables);
          if (result?.environment) out.environment = valuesOf(result.environment);
          if (error) out.scriptErrors.push(`${item?.name} ${event?.listen}: ${error.name}: ${error.message}`);
        },
        request(error: Error | null, _cursor: unknown, response: Any, request: Any, item: Any) {
          out.requests.push({
            item: item?.name,
            method: request?.method,
            url: request?.url?.toString(),
            status: response?.code,
            error: error?.message,
          });
        },
        item(_error: unknown, _cursor: unknown, item: Any, _visualizer: unknown, extra: Any) {
          if (extra?.isSkipped) out.skipped.push(item.name);
        },
        done(error: Error | null) {
          out.runError = error ?? null;
          if (Object.keys(out.environment).length === 0) out.environment = valuesOf(environment);
          resolve(out);
        },
      });
    });
  });
}
