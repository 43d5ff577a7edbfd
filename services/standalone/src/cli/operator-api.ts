import { resolveConnection } from './pbx/platform/platform-connection';

export interface OperatorApi {
  readonly baseUrl: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** A small operator client for the admin commands; `pbx` has the full one. */
export function operatorApi(): OperatorApi {
  const { baseUrl, token } = resolveConnection(undefined, process.cwd());
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
