import { randomUUID } from 'node:crypto';
import { loadConfig, platformConfigSchema } from '@pbx/config';
import { PostgresEventStore } from '@pbx/events';
import {
  ApiTokenStore,
  createLogger,
  runPlatform,
  type Principal,
  type RunningPlatform,
} from '@pbx/platform';
import { eventsGatewayService } from '../../src';

export interface Gateway {
  readonly platform: RunningPlatform;
  /** Appends as routing does (CloudEvents source /pbx/routing). */
  readonly routing: PostgresEventStore;
  readonly provisioning: PostgresEventStore;
  readonly operatorToken: string;
  token(principal: Principal): Promise<string>;
  api(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response fields freely
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

/**
 * The events-gateway in a running platform process of its own (HTTP, relay, projections,
 * dispatcher) on a test database, with fast retries unless the test says otherwise.
 */
export async function startGateway(
  databaseUrl: string,
  env: Record<string, string> = {},
  name = 'events-gateway-test',
): Promise<Gateway> {
  const operatorToken = `operator-${randomUUID()}`;
  const loaded = loadConfig(platformConfigSchema, {
    DATABASE_URL: databaseUrl,
    PBX_HTTP_HOST: '127.0.0.1',
    PBX_OPERATOR_TOKEN: operatorToken,
    LOG_LEVEL: 'warn',
    PBX_WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    PBX_WEBHOOK_MAX_ATTEMPTS: '8',
    PBX_WEBHOOK_BACKOFF_BASE_MS: '100',
    PBX_WEBHOOK_BACKOFF_CAP_MS: '400',
    PBX_WEBHOOK_TIMEOUT_MS: '2000',
    PBX_WEBHOOK_POLL_MS: '500',
    PBX_STREAM_HEARTBEAT_MS: '1000',
    ...env,
  });
  const platform = await runPlatform({
    name,
    services: [eventsGatewayService],
    // Port 0: an ephemeral port (the schema takes 1-65535 only).
    config: { ...loaded, httpPort: 0 },
    log: createLogger({ level: 'warn', service: name }),
    databaseUrl,
  });
  await platform.started;
  const dataSource = platform.parts.database.dataSource;
  const issuer = new ApiTokenStore(platform.parts.database);
  return {
    platform,
    // With the process's append listeners, as services get their store: the relay publishes
    // right after each commit instead of on its next poll.
    routing: new PostgresEventStore(dataSource, '/pbx/routing', platform.parts.appended),
    provisioning: new PostgresEventStore(dataSource, '/pbx/provisioning', platform.parts.appended),
    operatorToken,
    token: async (principal) => (await issuer.issue(principal, 'test')).token,
    async api(method, path, token, body, headers = {}) {
      const response = await fetch(`${platform.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: keep the text.
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
  };
}

/** Polls until `probe` returns a value, bounded in time. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
