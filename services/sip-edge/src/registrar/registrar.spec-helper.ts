import { Registry } from 'prom-client';
import {
  HmacNonceService,
  InMemoryNonceCountTracker,
  computeHa1,
  digestHash,
  parseMessage,
  type DigestAlgorithm,
  type ParsedMessage,
  type Peer,
  type SipResponse,
} from '@pbx/sip';
import { AuthThrottle, type AuthThrottleOptions } from '../auth/auth-throttle';
import { DigestAuthenticator } from '../auth/digest-authenticator';
import type { DeviceCredentials } from '../directory/device-credentials';
import { InMemoryDeviceDirectory } from '../directory/in-memory-device-directory';
import type { Binding } from './binding';
import { InMemoryBindingStore } from './in-memory-binding-store';
import { Registrar } from './registrar';
import { registrarPolicy } from './registrar-policy';
import type { RegistrationEventSink } from './registration-event-publisher';
import type { UnregisterReason } from './registration-event';

export const T0 = Date.UTC(2025, 0, 1, 12);
export const DOMAIN = 'acme.pbx.example';
export const PASSWORD = 's3cret-Phone';
export const PHONE: Peer = { protocol: 'udp', address: '198.51.100.7', port: 40123 };

export function aDevice(username = '1001', password = PASSWORD): DeviceCredentials {
  return {
    tenantId: 'tenant-1',
    groupId: 'acme',
    deviceId: `acme:${username}`,
    username,
    domain: DOMAIN,
    ownerExtension: '201',
    realm: DOMAIN,
    ha1: {
      md5: computeHa1('MD5', username, DOMAIN, password),
      sha256: computeHa1('SHA-256', username, DOMAIN, password),
    },
  };
}

export type RecordedEvent =
  | { readonly kind: 'registered'; readonly contact: string }
  | { readonly kind: 'unregistered'; readonly contact: string; readonly reason: UnregisterReason };

/** A sink that remembers what the registrar reported. */
export class RecordingSink implements RegistrationEventSink {
  readonly events: RecordedEvent[] = [];
  registered(binding: Binding): void {
    this.events.push({ kind: 'registered', contact: binding.contact });
  }
  unregistered(binding: Binding, reason: UnregisterReason): void {
    this.events.push({ kind: 'unregistered', contact: binding.contact, reason });
  }
  take(): RecordedEvent[] {
    return this.events.splice(0);
  }
}

export interface RegistrarFixture {
  readonly clock: { now: number };
  readonly directory: InMemoryDeviceDirectory;
  readonly bindings: InMemoryBindingStore;
  readonly registry: Registry;
  readonly throttle: AuthThrottle;
  readonly nonces: HmacNonceService;
  readonly events: RecordingSink;
  readonly registrar: Registrar;
}

/** A registrar on in-memory adapters and a clock the test moves. */
export function aRegistrar(throttleOptions: AuthThrottleOptions = {}): RegistrarFixture {
  const clock = { now: T0 };
  const now = (): number => clock.now;
  const directory = new InMemoryDeviceDirectory();
  directory.put(aDevice('1001'));
  directory.put(aDevice('1002', 'other-Secret'));
  const bindings = new InMemoryBindingStore();
  const registry = new Registry();
  const throttle = new AuthThrottle({ now, registry, ...throttleOptions });
  const nonces = new HmacNonceService({ secrets: { current: Buffer.alloc(32, 9) }, now });
  const authenticator = new DigestAuthenticator({
    directory,
    nonces,
    nonceCounts: new InMemoryNonceCountTracker(),
    throttle,
    clock: now,
  });
  const events = new RecordingSink();
  const registrar = new Registrar({
    directory,
    bindings,
    authenticator,
    throttle,
    events,
    policy: registrarPolicy({ minExpires: 60, maxExpires: 3600, maxContacts: 3 }),
    clock: now,
    log: { warn: () => undefined, error: () => undefined },
  });
  return { clock, directory, bindings, registry, throttle, nonces, events, registrar };
}

export interface RegisterOptions {
  readonly user?: string;
  readonly toUser?: string;
  readonly toTag?: string;
  readonly requestUri?: string;
  /** Contact header values; null for none (a query). */
  readonly contacts?: readonly string[] | null;
  readonly expires?: number;
  readonly callId?: string;
  readonly cseq?: number;
  readonly authorization?: string;
  readonly method?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

export function aRequest(options: RegisterOptions = {}): ParsedMessage {
  const method = options.method ?? 'REGISTER';
  const user = options.user ?? '1001';
  const requestUri = options.requestUri ?? `sip:${DOMAIN}`;
  const lines = [
    `${method} ${requestUri} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    `To: <sip:${options.toUser ?? user}@${DOMAIN}>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`,
    `From: <sip:${user}@${DOMAIN}>;tag=456248`,
    `Call-ID: ${options.callId ?? 'reg-call-1'}`,
    `CSeq: ${options.cseq ?? 1} ${method}`,
    'User-Agent: Yealink T54W',
  ];
  for (const contact of options.contacts === undefined
    ? [`<sip:${user}@192.0.2.10:5060>`]
    : (options.contacts ?? [])) {
    lines.push(`Contact: ${contact}`);
  }
  if (options.expires !== undefined) lines.push(`Expires: ${options.expires}`);
  if (options.authorization !== undefined) lines.push(`Authorization: ${options.authorization}`);
  for (const [name, value] of options.headers ?? []) lines.push(`${name}: ${value}`);
  lines.push('Content-Length: 0', '', '');
  const result = parseMessage(Buffer.from(lines.join('\r\n')));
  if (result.kind !== 'message')
    throw new Error(`test request does not parse: ${JSON.stringify(result)}`);
  return result;
}

export interface Answer {
  readonly algorithm?: DigestAlgorithm;
  readonly password?: string;
  readonly user?: string;
  readonly nc?: number;
  readonly uri?: string;
  readonly method?: string;
  readonly header?: 'WWW-Authenticate' | 'Proxy-Authenticate';
}

/** What a phone answers to a challenge (RFC 7616 section 3.4 with qop=auth). */
export function answer(challenge: SipResponse, options: Answer = {}): string {
  const algorithm = options.algorithm ?? 'SHA-256';
  const header = challenge.headers
    .getAll(options.header ?? 'WWW-Authenticate')
    .find((v) => v.includes(`algorithm=${algorithm}`));
  if (header === undefined) throw new Error(`no ${algorithm} challenge in ${challenge.status}`);
  const realm = /realm="([^"]*)"/.exec(header)?.[1] ?? '';
  const nonce = /nonce="([^"]*)"/.exec(header)?.[1] ?? '';
  const user = options.user ?? '1001';
  const uri = options.uri ?? `sip:${DOMAIN}`;
  const nc = (options.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = '0a4f113b';
  const ha1 = computeHa1(algorithm, user, realm, options.password ?? PASSWORD);
  const ha2 = digestHash(algorithm, `${options.method ?? 'REGISTER'}:${uri}`);
  const response = digestHash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return (
    `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
    `response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"`
  );
}

/** The Contact values of a 200 OK. */
export function contactsOf(response: SipResponse): string[] {
  return response.headers.getAll('Contact');
}
