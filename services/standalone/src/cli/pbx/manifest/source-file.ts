import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';
import { findInvalidUtf8, lineOfOffset } from './utf8-check';

/** Larger files are refused before parsing: a company's configuration is far smaller. */
export const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

const MIB = 1024 * 1024;

/** The text of a file or of stdin, with the name that problems are reported under. */
export interface SourceText {
  /** `company.yaml` as the user wrote it, or `<stdin>`. */
  readonly label: string;
  readonly text: string;
}

export const STDIN_LABEL = '<stdin>';

function invalid(message: string): PbxCliError {
  return new PbxCliError(PbxCliErrorCode.InvalidFile, message);
}

/**
 * `company.yaml: 12.3 MiB is over the 10 MiB limit`. A size that rounds to the limit is rounded
 * up instead, so that a file a few bytes over does not read "10.0 MiB is over the 10 MiB limit".
 */
export function oversizedMessage(label: string, byteCount: number | undefined): string {
  const limit = MAX_SOURCE_BYTES / MIB;
  if (byteCount === undefined) return `${label}: over the ${limit} MiB limit`;
  const tenths = byteCount / (MIB / 10);
  const rounded = Math.round(tenths) / 10 > limit ? Math.round(tenths) : Math.ceil(tenths);
  return `${label}: ${(rounded / 10).toFixed(1)} MiB is over the ${limit} MiB limit`;
}

/** Decodes strictly; a UTF-8 byte order mark is dropped, as editors write one. */
export function decodeUtf8(label: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = Math.max(findInvalidUtf8(bytes), 0);
    const utf16 =
      (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const hint = utf16 ? ' (the file looks like UTF-16; save it as UTF-8)' : '';
    throw invalid(
      `${label}: not valid UTF-8 at line ${lineOfOffset(bytes, offset)}, byte offset ${offset}${hint}`,
    );
  }
}

/** Reads all of a stream, refusing it as soon as it passes the limit. */
export async function readStream(
  label: string,
  stream: AsyncIterable<Uint8Array | string>,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += bytes.length;
    if (total > MAX_SOURCE_BYTES) throw invalid(oversizedMessage(label, undefined));
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a file, refusing one over the limit without reading it: a regular file by its size,
 * anything else (a FIFO, a device) once it has delivered more than the limit.
 */
export async function readFileBounded(label: string, path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw invalid(`${label}: ${describeFileError(error)}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw invalid(`${label}: is a directory, not a file`);
    if (stat.isFile() && stat.size > MAX_SOURCE_BYTES) {
      throw invalid(oversizedMessage(label, stat.size));
    }
    return await readStream(label, handle.createReadStream({ autoClose: false }));
  } catch (error) {
    if (error instanceof PbxCliError) throw error;
    throw invalid(`${label}: ${describeFileError(error)}`);
  } finally {
    await handle.close();
  }
}

function describeFileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot read: ${(error as Error).message}`;
  }
}

/** Reads `-f <file|->`: a path relative to `cwd`, or stdin. */
export async function readSource(
  fileArgument: string,
  stdin: AsyncIterable<Uint8Array | string>,
  cwd: string,
): Promise<SourceText> {
  const label = fileArgument === '-' ? STDIN_LABEL : fileArgument;
  const bytes =
    fileArgument === '-'
      ? await readStream(label, stdin)
      : await readFileBounded(label, resolve(cwd, fileArgument));
  return { label, text: decodeUtf8(label, bytes) };
}
