import type { Environment } from '@pbx/config';

export interface TextSink {
  write(text: string): unknown;
}

/** Everything a `pbx` run touches outside itself, so that tests run it in-process. */
export interface CliIo {
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** The environment to read configuration from; undefined: the process's (read by libs/config). */
  readonly env?: Environment;
  /** Where relative paths (`-f company.yaml`, PBX_DATA_DIR) start. */
  readonly cwd: string;
}
