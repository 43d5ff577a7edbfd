import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OPERATOR_TOKEN_FILE = 'operator-token';

/**
 * The standalone platform's operator credential: created on first start in the data folder
 * (mode 0600), where the `pbx` command finds it without flags, as kubectl finds its kubeconfig.
 */
export async function ensureOperatorToken(dataDir: string): Promise<string> {
  const file = join(dataDir, OPERATOR_TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 32) return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const token = `pbx_op_${randomBytes(32).toString('base64url')}`;
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
