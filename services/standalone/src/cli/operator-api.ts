import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  defineSchema,
  exitOnConfigError,
  loadConfig,
  path,
  port,
  secret,
  text,
  url,
} from '@pbx/config';
import { OPERATOR_TOKEN_FILE } from '../operator-credential';

const cliSchema = defineSchema({
  PBX_API_URL: url({ protocols: ['http', 'https'] }).optional(),
  PBX_HTTP_PORT: port().default(8080),
  PBX_DATA_DIR: path().default('./.data'),
  PBX_OPERATOR_TOKEN: secret(text()).optional(),
});

export interface OperatorApi {
  readonly baseUrl: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/**
 * Where a command-line tool finds the platform and its operator credential: PBX_API_URL and
 * PBX_OPERATOR_TOKEN when set, otherwise the local standalone platform on PBX_HTTP_PORT and the
 * token it wrote into PBX_DATA_DIR on first start.
 */
export function operatorApi(): OperatorApi {
  const config = exitOnConfigError(() => loadConfig(cliSchema));
  const baseUrl = (config.apiUrl ?? `http://127.0.0.1:${config.httpPort}`).replace(/\/$/, '');
  let token = config.operatorToken;
  if (!token) {
    const file = join(resolve(config.dataDir), OPERATOR_TOKEN_FILE);
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch {
      throw new Error(
        `no operator credential: set PBX_OPERATOR_TOKEN, or start the standalone platform once so it writes ${file}`,
      );
    }
  }
  return {
    baseUrl,
    async call(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(120_000),
        });
      } catch (error) {
        throw new Error(`cannot reach the platform at ${baseUrl}: ${(error as Error).message}`);
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      return { status: response.status, body: parsed };
    },
  };
}
