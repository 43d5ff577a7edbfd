import { secret } from './config-field';
import { requires } from './config-rule';
import { type ConfigOf, defineSchema } from './config-schema';
import {
  bool,
  brokers,
  enumList,
  iceServerUrls,
  ipAddress,
  int,
  logLevel,
  path,
  port,
  portRange,
  text,
  url,
} from './field-builders';

/**
 * What every process reads, in either shape (ARCHITECTURE.md): an unset DATABASE_URL,
 * KAFKA_BROKERS or REDIS_URL selects the embedded or in-process adapter. Services extend it with
 * `extendSchema(platformConfigSchema, {...})`.
 */
export const platformConfigSchema = defineSchema(
  {
    PBX_HTTP_PORT: port().default(8080),
    PBX_HTTP_HOST: text().default('0.0.0.0'),
    PBX_DATA_DIR: path().default('./.data'),
    // Secret because the URL may hold the password.
    DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })).optional(),
    KAFKA_BROKERS: brokers().optional(),
    KAFKA_CLIENT_ID: text().optional(),
    // How soon a consumer group notices a member that went away (and rebalances).
    KAFKA_SESSION_TIMEOUT_MS: int({ min: 3_000, max: 300_000 }).default(30_000),
    KAFKA_HEARTBEAT_INTERVAL_MS: int({ min: 100, max: 60_000 }).default(3_000),
    REDIS_URL: secret(url({ protocols: ['redis', 'rediss'] })).optional(),
    LOG_LEVEL: logLevel().default('info'),
    PBX_SERVICE: text().optional(),
    PBX_DB_CONNECT_TIMEOUT_MS: int({ min: 100, max: 300_000 }).default(5_000),
    PBX_DB_RETRY_MAX_MS: int({ min: 100, max: 3_600_000 }).default(30_000),
    PBX_SHUTDOWN_TIMEOUT_MS: int({ min: 0, max: 600_000 }).default(10_000),
    // Bearer token of the operator API. The standalone shape creates one in PBX_DATA_DIR when
    // unset; a service started on its own refuses operator calls without it.
    PBX_OPERATOR_TOKEN: secret(text()).optional(),
    PBX_TLS_CERT_FILE: path().optional(),
    PBX_TLS_KEY_FILE: path().optional(),
    // SIP edge: UDP and TCP share PBX_SIP_PORT; the TLS and WebSocket listeners start only when
    // their port is set. PBX_SIP_PUBLIC_HOST is what Via/Contact/Record-Route advertise.
    PBX_SIP_PORT: port().default(5060),
    PBX_SIP_HOST: text().default('0.0.0.0'),
    PBX_SIP_PUBLIC_HOST: text().optional(),
    PBX_SIP_TLS_PORT: port().optional(),
    PBX_SIP_WS_PORT: port().optional(),
    PBX_SIP_WSS_PORT: port().optional(),
    // Registration bounds (seconds): shorter asks get 423 with Min-Expires, longer are cut down.
    // Digest nonces are HMACs under this secret (32+ characters); edge instances that share
    // phones must share it. Unset: a random one per process (standalone).
    PBX_SIP_NONCE_SECRET: secret(text()).optional(),
    // Digest algorithms challenged, in order of preference (RFC 8760: SHA-256 first). Phones and
    // tools that read only the first challenge (sipp, older firmware) need "MD5,SHA-256".
    PBX_SIP_DIGEST_ALGORITHMS: enumList(['SHA-256', 'MD5']).default(['SHA-256', 'MD5']),
    // The same for requests over WebSocket (WS, WSS). SIP.js and JsSIP, the browser SIP
    // libraries, answer only the last challenge and only in MD5: it must come last.
    PBX_SIP_WS_DIGEST_ALGORITHMS: enumList(['SHA-256', 'MD5']).default(['SHA-256', 'MD5']),
    // Calls one edge carries at once; beyond it new INVITEs get 503 with Retry-After.
    PBX_SIP_MAX_CALLS: int({ min: 1, max: 1_000_000 }).default(5_000),
    // RFC 4028 session interval the edge grants a caller that asks for a session timer.
    PBX_SIP_SESSION_EXPIRES_S: int({ min: 90, max: 86_400 }).default(1_800),
    PBX_SIP_MIN_EXPIRES: int({ min: 10, max: 86_400 }).default(60),
    PBX_SIP_MAX_EXPIRES: int({ min: 60, max: 604_800 }).default(3_600),
    // Media: RTP/RTCP port pairs are taken from this range; PBX_MEDIA_PUBLIC_IP is written into SDP.
    PBX_RTP_PORTS: portRange().default({ start: 30000, end: 30999 }),
    PBX_MEDIA_HOST: text().default('0.0.0.0'),
    // An address literal: SDP (c=) and ICE candidates carry no host names.
    PBX_MEDIA_PUBLIC_IP: ipAddress().optional(),
    // TURN (RFC 8656) for browsers that cannot reach the media ports directly: the URLs go to a
    // signed-in web phone (POST /api/v1/phone/session) with either a static username and
    // credential or, with PBX_TURN_SECRET, time-limited ones from the TURN REST scheme (coturn's
    // use-auth-secret): username `<expiry>:pbx`, credential base64(HMAC-SHA1(secret, username)).
    PBX_TURN_URLS: iceServerUrls().optional(),
    PBX_TURN_USERNAME: text().optional(),
    PBX_TURN_CREDENTIAL: secret(text()).optional(),
    PBX_TURN_SECRET: secret(text()).optional(),
    PBX_TURN_TTL_S: int({ min: 60, max: 604_800 }).default(86_400),
    // A call whose media stays silent in both directions this long is ended (phone gone, no BYE).
    PBX_RTP_TIMEOUT_S: int({ min: 5, max: 3_600 }).default(60),
    // How long an unanswered call rings before it ends with 480 (no answer).
    PBX_NO_ANSWER_TIMEOUT_S: int({ min: 5, max: 600 }).default(60),
    // Partner webhooks (events-gateway): a delivery is tried this many times in all, with
    // exponential backoff from BASE to CAP (plus jitter) between tries, then dead-lettered.
    PBX_WEBHOOK_MAX_ATTEMPTS: int({ min: 1, max: 100 }).default(16),
    PBX_WEBHOOK_BACKOFF_BASE_MS: int({ min: 10, max: 3_600_000 }).default(1_000),
    PBX_WEBHOOK_BACKOFF_CAP_MS: int({ min: 10, max: 86_400_000 }).default(3_600_000),
    // One attempt: connect, send, and the receiver's answer.
    PBX_WEBHOOK_TIMEOUT_MS: int({ min: 100, max: 120_000 }).default(10_000),
    // Webhooks one process delivers to at once (each webhook gets one delivery at a time).
    PBX_WEBHOOK_CONCURRENCY: int({ min: 1, max: 1_000 }).default(32),
    // Fallback poll for work another process queued (new work normally wakes the dispatcher).
    PBX_WEBHOOK_POLL_MS: int({ min: 10, max: 60_000 }).default(1_000),
    // Delivered deliveries are kept this long for the API, then deleted (dead ones stay).
    PBX_WEBHOOK_RETENTION_DAYS: int({ min: 1, max: 3_650 }).default(7),
    // Off: webhook URLs on loopback, private or link-local addresses are refused (SSRF).
    PBX_WEBHOOK_ALLOW_PRIVATE_URLS: bool().default(false),
    // Event streams (SSE): a comment this often keeps proxies from closing an idle stream; a
    // client that reads nothing for STALL ms is cut; at most MAX_CLIENTS streams per process.
    PBX_STREAM_HEARTBEAT_MS: int({ min: 1_000, max: 300_000 }).default(15_000),
    PBX_STREAM_STALL_TIMEOUT_MS: int({ min: 1_000, max: 600_000 }).default(30_000),
    PBX_STREAM_MAX_CLIENTS: int({ min: 1, max: 100_000 }).default(1_000),
  },
  [
    // A certificate is useless without its key and the other way round.
    requires('PBX_TLS_CERT_FILE', ['PBX_TLS_KEY_FILE']),
    requires('PBX_TLS_KEY_FILE', ['PBX_TLS_CERT_FILE']),
    requires('PBX_SIP_TLS_PORT', ['PBX_TLS_CERT_FILE', 'PBX_TLS_KEY_FILE']),
    requires('PBX_SIP_WSS_PORT', ['PBX_TLS_CERT_FILE', 'PBX_TLS_KEY_FILE']),
    requires('PBX_TURN_USERNAME', ['PBX_TURN_CREDENTIAL', 'PBX_TURN_URLS']),
    requires('PBX_TURN_CREDENTIAL', ['PBX_TURN_USERNAME']),
    requires('PBX_TURN_SECRET', ['PBX_TURN_URLS']),
    {
      names: ['PBX_TURN_SECRET', 'PBX_TURN_USERNAME'],
      check: (context) =>
        context.isSet('PBX_TURN_SECRET') && context.isSet('PBX_TURN_USERNAME')
          ? 'PBX_TURN_SECRET and PBX_TURN_USERNAME are both set: TURN takes static credentials or a shared secret, not both'
          : undefined,
    },
    {
      names: ['PBX_WEBHOOK_BACKOFF_BASE_MS', 'PBX_WEBHOOK_BACKOFF_CAP_MS'],
      check: ({ values }): string | undefined =>
        Number(values.PBX_WEBHOOK_BACKOFF_BASE_MS) > Number(values.PBX_WEBHOOK_BACKOFF_CAP_MS)
          ? 'PBX_WEBHOOK_BACKOFF_BASE_MS must not be above PBX_WEBHOOK_BACKOFF_CAP_MS'
          : undefined,
    },
  ],
);

export type PlatformConfig = ConfigOf<typeof platformConfigSchema>;
