import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ConfigError,
  defineSchema,
  type Environment,
  loadConfig,
  path,
  port,
  secret,
  text,
  url,
} from '@pbx/config';
import { OPERATOR_TOKEN_FILE } from '../../../operator-credential';
import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';

const pbxCliConfigSchema = defineSchema({
  PBX_API_URL: url({ protocols: ['http', 'https'] }).optional(),
  PBX_HTTP_PORT: port().default(8080),
  PBX_DATA_DIR: path().default('./.data'),
  PBX_OPERATOR_TOKEN: secret(text()).optional(),
});

/** Where the platform is and how to prove being its operator. */
export interface PlatformConnection {
  readonly baseUrl: string;
  readonly token: string;
  /** `PBX_OPERATOR_TOKEN` or the token file's path: named when the platform refuses the token. */
  readonly credentialSource: string;
  /** Whether the URL came from the local default rather than PBX_API_URL. */
  readonly isLocalDefault: boolean;
}

/**
 * Like kubectl with its kubeconfig, `pbx` needs no flags: PBX_API_URL and PBX_OPERATOR_TOKEN when
 * set, otherwise the local standalone platform on PBX_HTTP_PORT and the token it wrote into
 * PBX_DATA_DIR on its first start. `env` undefined means the process's environment.
 */
export function resolveConnection(env: Environment | undefined, cwd: string): PlatformConnection {
  let config;
  try {
    config = loadConfig(pbxCliConfigSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new PbxCliError(
      PbxCliErrorCode.Unreachable,
      'the configuration in the environment is invalid',
      error.problems.map((problem) => `configuration error: ${problem}`),
    );
  }
  const isLocalDefault = config.apiUrl === undefined;
  const baseUrl = (config.apiUrl ?? `http://127.0.0.1:${config.httpPort}`).replace(/\/+$/, '');
  if (config.operatorToken !== undefined && config.operatorToken.trim() !== '') {
    return {
      baseUrl,
      token: config.operatorToken.trim(),
      credentialSource: 'PBX_OPERATOR_TOKEN',
      isLocalDefault,
    };
  }
  const file = join(resolve(cwd, config.dataDir), OPERATOR_TOKEN_FILE);
  return { baseUrl, token: readTokenFile(file), credentialSource: file, isLocalDefault };
}

function readTokenFile(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PbxCliError(
      PbxCliErrorCode.Unauthorized,
      code === 'ENOENT'
        ? `no operator credential: set PBX_OPERATOR_TOKEN, or start the standalone platform ` +
            `once (npm start) so that it writes ${file}`
        : `cannot read the operator credential ${file}: ${(error as Error).message}`,
    );
  }
  if (token === '') {
    throw new PbxCliError(PbxCliErrorCode.Unauthorized, `the operator credential ${file} is empty`);
  }
  return token;
}
