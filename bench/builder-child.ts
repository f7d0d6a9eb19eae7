/**
 * Child process of the builder benchmark; one process per measurement so that
 * peak memory (maxRSS) belongs to that measurement alone.
 *
 *   node builder-child.js inject <cli.js> <input> <output> [inject options...]
 *   node builder-child.js floor <input> <output>
 *   node builder-child.js floor-loaded <cli.js> <input> <output>
 *
 * `inject` runs the real CLI (`runCli(['inject', ...])` from dist/cli.js);
 * `floor` does only what any tool that rewrites the file must: read, JSON.parse,
 * JSON.stringify (same indentation), write to a temporary file and rename;
 * `floor-loaded` does the floor's work after loading dist/cli.js (profile: what
 * the CLI's loaded module graph costs the JSON work, e.g. in garbage collection).
 * Prints one JSON line: {loadMs, workMs, maxRssKiB}.
 */
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

interface CliModule {
  runCli(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string; env: Record<string, string | undefined> }): Promise<number>;
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  const t0 = performance.now();
  let loadMs = 0;
  if (mode === 'inject') {
    const [cli, input, output, ...options] = args as [string, string, string, ...string[]];
    const { runCli } = (await import(pathToFileURL(cli).href)) as CliModule;
    loadMs = performance.now() - t0;
    const errors: string[] = [];
    const code = await runCli(['inject', input, '-o', output, ...options], {
      stdout: () => undefined,
      stderr: (s) => errors.push(s),
      cwd: process.cwd(),
      env: process.env,
    });
    if (code !== 0) throw new Error(`inject exited ${code}: ${errors.join('')}`);
  } else if (mode === 'floor' || mode === 'floor-loaded') {
    let [input, output] = args as [string, string];
    if (mode === 'floor-loaded') {
      const [cli, i, o] = args as [string, string, string];
      await import(pathToFileURL(cli).href);
      loadMs = performance.now() - t0;
      [input, output] = [i, o];
    }
    const text = await fs.readFile(input, 'utf8');
    const data: unknown = JSON.parse(text);
    const indent = /^[{[]\s*?\n([ \t]+)\S/.exec(text)?.[1] ?? 0;
    const out = JSON.stringify(data, null, indent) + (text.endsWith('\n') ? '\n' : '');
    await fs.writeFile(`${output}.tmp`, out, 'utf8');
    await fs.rename(`${output}.tmp`, output);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const workMs = performance.now() - t0 - loadMs;
  process.stdout.write(JSON.stringify({ loadMs, workMs, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
