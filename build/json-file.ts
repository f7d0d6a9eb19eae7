import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from './errors.ts';
import { locateJsonError } from './json-locate.ts';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses JSON text, turning a syntax error into one that names the file, line
 * and column. The message never quotes the file's content (it could hold a secret).
 */
export function parseJsonText(text: string, file: string, advice = 'Fix the file or export it again.'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = locateJsonError(text) ?? { offset: text.length, reason: 'invalid JSON' };
    const { line, column } = lineColumn(text, found.offset);
    throw new CliError('INVALID_JSON', `${file} is not valid JSON: ${found.reason} at line ${line}, column ${column}. ${advice}`, EXIT.input, {
      file,
      line,
      column,
    });
  }
}

/**
 * Largest input the builder reads. Real collections are far smaller (the whole
 * Genesys Platform API is ~16 MB); files of hundreds of MB are exports with saved
 * responses or embedded files, and V8 cannot hold a string much over 512 MB.
 */
export const MAX_INPUT_BYTES = 128 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Reads a file as UTF-8 (a leading BOM dropped), with errors that say what to do. */
export async function readTextFile(file: string, shown = file, maxBytes = MAX_INPUT_BYTES): Promise<string> {
  try {
    const stat = await fs.stat(file);
    if (stat.isFile() && stat.size > maxBytes) {
      throw new CliError(
        'INPUT_TOO_LARGE',
        `${shown} is ${megabytes(stat.size)}; the builder reads collections of up to ${megabytes(maxBytes)}. Export the collection without saved responses and embedded files, or split it into smaller collections.`,
        EXIT.input,
        { file, size: stat.size },
      );
    }
    const text = await fs.readFile(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_STRING_TOO_LONG' || error instanceof RangeError) {
      throw new CliError('INPUT_TOO_LARGE', `${shown} is too large to read as text. Export the collection without saved responses and embedded files, or split it.`, EXIT.input, { file });
    }
    if (code === 'ENOENT') throw new CliError('INPUT_NOT_FOUND', `${shown} does not exist. Check the path.`, EXIT.input, { file });
    if (code === 'EISDIR') throw new CliError('INPUT_IS_DIRECTORY', `${shown} is a folder; give a collection file.`, EXIT.input, { file });
    if (code === 'EACCES') throw new CliError('INPUT_UNREADABLE', `${shown} cannot be read (permission denied).`, EXIT.input, { file });
    throw new CliError('INPUT_UNREADABLE', `${shown} cannot be read (${code ?? String(error)}).`, EXIT.input, { file });
  }
}

/** The indentation a JSON text uses, so output keeps the input's style. */
export function detectIndent(text: string): string | number {
  const match = /^[{[]\s*?\n([ \t]+)\S/.exec(text);
  return match ? (match[1] as string) : 0;
}

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename,
 * so readers never see a half-written file and a failure leaves the old one.
 */
export async function writeFileAtomic(file: string, content: string, mode?: number, shown = file): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      'OUTPUT_DIR_MISSING',
      `cannot write ${shown}: the folder ${dir} ${code === 'ENOTDIR' ? 'is not a folder' : 'does not exist'}. Create it first.`,
      EXIT.output,
      { file },
    );
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, content, { encoding: 'utf8', mode: mode ?? 0o644, flag: 'wx' });
    if (mode !== undefined) await fs.chmod(tmp, mode);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new CliError('OUTPUT_NOT_WRITABLE', `cannot write ${shown}: permission denied in ${dir}. Choose another output path.`, EXIT.output, {
        file,
      });
    }
    if (code === 'EISDIR') {
      throw new CliError('OUTPUT_IS_DIRECTORY', `cannot write ${shown}: it is a folder. Give a file name.`, EXIT.output, { file });
    }
    throw new CliError('OUTPUT_WRITE_FAILED', `cannot write ${shown} (${code ?? String(error)}).`, EXIT.output, { file });
  }
}
