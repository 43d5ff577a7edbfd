import { parseCallPage, type CallRecord, type LogOwner } from '../domain/call-log';

/** GET /api/v1/phone/config, as the SIP edge serves it. */
export interface PhoneConfig {
  readonly wsUrl?: string;
  readonly wssUrl?: string;
  readonly iceServers: RTCIceServer[];
}

/** A read-only session of the device's user (POST /api/v1/phone/session). */
export interface PhoneSession {
  readonly token: string;
  readonly expiresAt: number;
  readonly owner: LogOwner;
  /** ICE servers with TURN credentials, given only to a signed-in device. */
  readonly iceServers: RTCIceServer[];
}

/** A failure talking to the platform's HTTP API, with what the user should read. */
export class PlatformApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PlatformApiError';
  }
}

const TIMEOUT_MS = 10_000;

async function request(path: string, init: RequestInit = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new PlatformApiError('The platform cannot be reached: check the network connection.');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
    throw new PlatformApiError(
      typeof message === 'string' ? message : `The platform answered ${response.status}.`,
      response.status,
    );
  }
  return body;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function iceServers(value: unknown): RTCIceServer[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const e = entry as Record<string, unknown> | null;
    const urls = Array.isArray(e?.urls)
      ? e.urls.filter(isString)
      : isString(e?.urls)
        ? [e.urls]
        : [];
    if (urls.length === 0) return [];
    return [
      {
        urls,
        ...(isString(e?.username) ? { username: e.username } : {}),
        ...(isString(e?.credential) ? { credential: e.credential } : {}),
      },
    ];
  });
}

export async function fetchPhoneConfig(): Promise<PhoneConfig> {
  const body = (await request('/api/v1/phone/config')) as Record<string, unknown> | undefined;
  return {
    ...(isString(body?.wsUrl) ? { wsUrl: body.wsUrl } : {}),
    ...(isString(body?.wssUrl) ? { wssUrl: body.wssUrl } : {}),
    iceServers: iceServers(body?.iceServers),
  };
}

/** The SIP WebSocket this page may use: a page served over HTTPS may only open wss:. */
export function pickSipUrl(config: PhoneConfig, pageProtocol: string): string | undefined {
  return pageProtocol === 'https:' ? config.wssUrl : (config.wsUrl ?? config.wssUrl);
}

export async function startPhoneSession(aor: string, password: string): Promise<PhoneSession> {
  const body = (await request('/api/v1/phone/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: aor, password }),
  })) as Record<string, unknown> | undefined;
  const user = body?.user as Record<string, unknown> | undefined;
  const expiresAt = isString(body?.expiresAt) ? Date.parse(body.expiresAt) : NaN;
  if (
    !isString(body?.token) ||
    !isString(user?.groupId) ||
    !isString(user?.userId) ||
    !(expiresAt > 0)
  ) {
    throw new PlatformApiError('The platform answered the sign-in with something unexpected.');
  }
  return {
    token: body.token,
    expiresAt,
    owner: { groupId: user.groupId, userId: user.userId },
    iceServers: iceServers(body.iceServers),
  };
}

export async function fetchCallLog(token: string, limit = 20): Promise<CallRecord[]> {
  const body = await request(`/api/v1/me/calls?limit=${limit}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return parseCallPage(body);
}
