import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigField, quoteValue } from './config-field';
import { looksLikeUrl, redactUrlCredentials } from './redact-url';

// Each builder's zod issue messages are the expectation that ends up in
// "<NAME> must be <expectation>, got <value>"; ConfigField adds the name and the value.

const PORT_EXPECTATION = 'a port number 1-65535';

function isPort(text: string): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const port = Number(text);
  return port >= 1 && port <= 65535;
}

/** A TCP/UDP port, 1-65535. */
export function port(): ConfigField<number> {
  return ConfigField.of(z.string().refine(isPort, { error: PORT_EXPECTATION }).transform(Number));
}

export interface PortRange {
  readonly start: number;
  readonly end: number;
}

const RANGE_EXPECTATION = 'a port range start-end of port numbers 1-65535, e.g. 30000-30999';

/** A range of ports written `start-end` (`30000-30999`), start <= end; a single port is `5060-5060`. */
export function portRange(): ConfigField<PortRange> {
  return ConfigField.of(
    z.string().transform((text, ctx): PortRange => {
      const match = /^(\d+)\s*-\s*(\d+)$/.exec(text);
      if (match === null || !isPort(match[1]) || !isPort(match[2])) {
        ctx.addIssue({ code: 'custom', message: RANGE_EXPECTATION });
        return z.NEVER;
      }
      const range = { start: Number(match[1]), end: Number(match[2]) };
      if (range.start > range.end) {
        ctx.addIssue({ code: 'custom', message: 'a port range whose start is not above its end' });
        return z.NEVER;
      }
      return range;
    }),
  );
}

export interface UrlOptions {
  /** Accepted schemes, with or without the trailing colon: `['postgres', 'postgresql']`. */
  readonly protocols: readonly [string, ...string[]];
}

function describeUrl(raw: string, secret: boolean): string {
  // A secret URL's sensitive part is its credentials, which are masked; a secret that does not even
  // look like a URL may be a bare password pasted into the wrong variable, so it is not shown.
  if (secret && !looksLikeUrl(raw)) return 'an invalid value';
  return quoteValue(redactUrlCredentials(raw, { maskBareUserinfo: secret }));
}

function orList(items: readonly string[]): string {
  return items.length === 1
    ? items[0]
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

// "an http:// URL" is read letter by letter; "a postgres:// URL" as a word.
function article(scheme: string): string {
  return /^(?:[aeiou]|http)/i.test(scheme) ? 'an' : 'a';
}

/** An absolute URL with one of the given schemes; the loaded value is the text as given. */
export function url(options: UrlOptions): ConfigField<string> {
  const schemes = options.protocols.map((protocol) => protocol.replace(/:$/, '').toLowerCase());
  const expectation = `${article(schemes[0])} ${orList(schemes.map((scheme) => `${scheme}://`))} URL`;
  const isAccepted = (text: string): boolean => {
    if (!URL.canParse(text)) return false;
    const parsed = new URL(text);
    return (
      schemes.includes(parsed.protocol.slice(0, -1)) &&
      text.slice(parsed.protocol.length).startsWith('//')
    );
  };
  return ConfigField.of(z.string().refine(isAccepted, { error: expectation }), describeUrl);
}

/** Log levels, the same names as pino's. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One of `trace, debug, info, warn, error, fatal, silent`. */
export function logLevel(): ConfigField<LogLevel> {
  return enumOf(LOG_LEVELS);
}

// A host name, an IPv4 address or a bracketed IPv6 address, then a port.
const BROKER = /^(?:\[[0-9a-f:.]+\]|[^\s:,[\]]+):(\d{1,5})$/i;

/** A comma-separated list of `host:port` (`kafka-0:9092,kafka-1:9092`), loaded as an array. */
export function brokers(): ConfigField<readonly string[]> {
  const expectation = 'a comma-separated list of host:port';
  return ConfigField.of(
    z.string().transform((text, ctx): readonly string[] => {
      const entries = text.split(',').map((entry) => entry.trim());
      const valid = entries.every((entry) => {
        const match = BROKER.exec(entry);
        return match !== null && isPort(match[1]);
      });
      if (!valid) {
        ctx.addIssue({ code: 'custom', message: expectation });
        return z.NEVER;
      }
      return entries;
    }),
  );
}

/** A file system path, relative to the working directory or absolute; kept as given. */
export function path(): ConfigField<string> {
  // eslint-disable-next-line no-control-regex -- a NUL byte is the one character no path may hold
  return ConfigField.of(z.string().regex(/^[^\u0000]+$/, { error: 'a file system path' }));
}

export interface IntOptions {
  readonly min?: number;
  readonly max?: number;
}

function intExpectation({ min, max }: IntOptions): string {
  if (min !== undefined && max !== undefined) return `an integer ${min}-${max}`;
  if (min !== undefined) return `an integer >= ${min}`;
  if (max !== undefined) return `an integer <= ${max}`;
  return 'an integer';
}

/** A whole number in decimal, optionally bounded (inclusive). */
export function int(options: IntOptions = {}): ConfigField<number> {
  const expectation = intExpectation(options);
  const inBounds = (value: number): boolean =>
    Number.isSafeInteger(value) &&
    (options.min === undefined || value >= options.min) &&
    (options.max === undefined || value <= options.max);
  return ConfigField.of(
    z
      .string()
      .regex(/^[-+]?\d+$/, { error: expectation })
      .transform(Number)
      .refine(inBounds, { error: expectation }),
  );
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** A boolean: true/false, 1/0, yes/no or on/off, in any case. */
export function bool(): ConfigField<boolean> {
  return ConfigField.of(
    z
      .string()
      .transform((text) => text.toLowerCase())
      .refine((word) => TRUE_WORDS.includes(word) || FALSE_WORDS.includes(word), {
        error: 'a boolean (true/false, 1/0, yes/no, on/off)',
      })
      .transform((word) => TRUE_WORDS.includes(word)),
  );
}

/** One of the given words, matched exactly; the loaded type is their union. */
export function enumOf<const V extends readonly [string, ...string[]]>(
  values: V,
): ConfigField<V[number]> {
  return ConfigField.of(
    z
      .string()
      .refine((word) => values.includes(word), { error: `one of ${values.join(', ')}` })
      .transform((word) => word as V[number]),
  );
}

/** Any non-empty text (names, ids, host names). */
export function text(): ConfigField<string> {
  return ConfigField.of(z.string());
}

/** A comma-separated list of distinct values from `values`, in the given order: `MD5,SHA-256`. */
export function enumList<const V extends readonly [string, ...string[]]>(
  values: V,
): ConfigField<readonly V[number][]> {
  const allowed = new Set<string>(values);
  return ConfigField.of(
    z.string().transform((text, ctx): readonly V[number][] => {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const bad = items.filter((i) => !allowed.has(i));
      if (items.length === 0 || bad.length > 0 || new Set(items).size !== items.length) {
        ctx.addIssue({
          code: 'custom',
          message: `a comma-separated list of distinct values from ${values.join(', ')}`,
        });
        return z.NEVER;
      }
      return items as V[number][];
    }),
  );
}

/** An IPv4 or IPv6 address literal (what SDP's c= line and ICE candidates carry, no host name). */
export function ipAddress(): ConfigField<string> {
  return ConfigField.of(
    z.string().refine((text) => isIP(text) !== 0, { error: 'an IPv4 or IPv6 address' }),
  );
}

const ICE_URL =
  /^(stun|stuns|turn|turns):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/;

/**
 * A comma-separated list of STUN/TURN URIs (RFC 7064, RFC 7065) as a browser's RTCIceServer
 * takes them: `turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349`.
 */
export function iceServerUrls(): ConfigField<readonly string[]> {
  const expectation =
    'a comma-separated list of stun:, turn: or turns: URIs, e.g. turn:turn.example.com:3478';
  return ConfigField.of(
    z.string().transform((text, ctx): readonly string[] => {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const valid = items.every((item) => {
        const match = ICE_URL.exec(item);
        return match !== null && (match[3] === undefined || isPort(match[3].slice(1)));
      });
      if (items.length === 0 || !valid) {
        ctx.addIssue({ code: 'custom', message: expectation });
        return z.NEVER;
      }
      return items;
    }),
  );
}
