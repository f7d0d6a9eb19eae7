import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST_CLI, requireBuilt } from './paths.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The exact argument vector the child process got. */
  argv: string[];
}

/**
 * Spawns the BUILT CLI (dist/cli.js) the way a user runs it: a separate
 * process, in `cwd`, with only the given environment (plus PATH and HOME).
 */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  requireBuilt();
  const argv = [DIST_CLI, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, argv }));
  });
}

/** A fresh temporary folder, as a user's project folder. */
export async function tempFolder(prefix = 'pok-cli-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Every file under `dir` (recursively) with its text, for "no secret anywhere" checks. */
export async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file: path.relative(dir, file), text: await fs.readFile(file, 'utf8') });
  }
  return out;
}
