import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../build/cli.ts';

/** Runs the CLI in-process with captured output, in `cwd`. */
export async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    env,
  });
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'pok-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
