import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import { field, formatProblem, item, SpecProblems, type SpecProblem } from '../group/spec-problems';
import { canonicalHost, canonicalIpAddress } from './network-address';
import { defaultTrunkPort, TRUNK_TRANSPORTS, type TrunkTransport } from './trunk';

/**
 * The desired state of a trunk: an entry of a Group's `spec.trunks`, or the `spec` of a
 * `kind: Trunk` document (whose name is `metadata.name`). The password may be left out to keep
 * the stored one, as `get` never shows it; the rules needing the stored trunk are in
 * trunk-changes.ts.
 */
export interface TrunkSpec {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly transport: TrunkTransport;
  readonly username?: string;
  readonly password?: string;
  readonly register: boolean;
  readonly inboundAddresses: readonly string[];
}

declare const validated: unique symbol;
/** A `kind: Trunk` spec that passed validateTrunkSpec. */
export type OperatorTrunkSpec = TrunkSpec & { readonly [validated]: true };

export type TrunkSpecValidation =
  | { readonly ok: true; readonly spec: OperatorTrunkSpec }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/** Marks a spec built from an already valid state. */
export function trustedTrunkSpec(spec: TrunkSpec): OperatorTrunkSpec {
  return spec as OperatorTrunkSpec;
}

/** A trunk's name: a DNS label, so that the trunk id `group:<group>:<name>` stays unambiguous. */
export const TRUNK_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Carriers rarely send from more than a handful of addresses; a long list is a mistake. */
export const MAX_INBOUND_ADDRESSES = 20;
/** Trunks one group may have. */
export const MAX_GROUP_TRUNKS = 20;

// RFC 3261 section 25.1 `user` characters (unreserved and user-unreserved) plus "@", which
// carriers use in account names; no quote, backslash or colon, which would break the quoted
// digest username and HA1 = H(username ":" realm ":" password) (RFC 7616 section 3.4.2).
const DIGEST_USERNAME = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/@%]{1,64}$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

const TRUNK_FIELDS = [
  'host',
  'port',
  'transport',
  'username',
  'password',
  'register',
  'inboundAddresses',
] as const;
const NAMED_TRUNK_FIELDS = ['name', ...TRUNK_FIELDS] as const;

function clip(text: string): string {
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/**
 * Reads one trunk: `name` is given for a `kind: Trunk` document (its metadata.name) and read from
 * the entry for a Group's `spec.trunks`. Reports every problem under `path`.
 */
export function readTrunkSpec(
  problems: SpecProblems,
  value: unknown,
  path: string,
  name?: string,
): TrunkSpec | undefined {
  const named = name === undefined;
  const before = problems.all.length;
  const input = problems.object(
    value,
    path,
    named ? NAMED_TRUNK_FIELDS : TRUNK_FIELDS,
    named ? ['name', 'host'] : ['host'],
  );
  if (!input) return undefined;

  const trunkName = named ? readName(problems, input.name, field(path, 'name')) : name;
  const host = readHost(problems, input.host, field(path, 'host'));
  const transport =
    input.transport === undefined || input.transport === null
      ? 'udp'
      : problems.oneOf(input.transport, field(path, 'transport'), 'transport', TRUNK_TRANSPORTS);
  const port = readPort(problems, input.port, field(path, 'port'));
  const username = readUsername(problems, input.username, field(path, 'username'));
  const password = readPassword(problems, input.password, field(path, 'password'));
  const register = problems.boolean(input.register, field(path, 'register')) ?? false;
  const inboundAddresses = readAddresses(
    problems,
    input.inboundAddresses,
    field(path, 'inboundAddresses'),
  );
  if (password !== undefined && username === undefined && input.username == null) {
    problems.add(field(path, 'password'), 'a password needs a username');
  }
  if (register && input.username == null) {
    problems.add(
      field(path, 'register'),
      'registering with the carrier needs a username and a password',
    );
  }
  if (
    problems.all.length > before ||
    trunkName === undefined ||
    host === undefined ||
    transport === undefined ||
    inboundAddresses === undefined
  ) {
    return undefined;
  }
  return {
    name: trunkName,
    host,
    port: port ?? defaultTrunkPort(transport),
    transport,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    register,
    inboundAddresses,
  };
}

function readName(problems: SpecProblems, value: unknown, path: string): string | undefined {
  const text = problems.string(value, path);
  if (text === undefined) return undefined;
  if (TRUNK_NAME.test(text)) return text;
  problems.add(
    path,
    `"${clip(text)}" must be 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit, such as carrier`,
  );
  return undefined;
}

function readHost(problems: SpecProblems, value: unknown, path: string): string | undefined {
  const text = problems.string(value, path);
  if (text === undefined) return undefined;
  const host = canonicalHost(text);
  if (host !== undefined) return host;
  problems.add(
    path,
    text.startsWith('[')
      ? `"${clip(text)}": write an IPv6 address without brackets, such as 2001:db8::1`
      : text.includes(':') && !text.includes('::') && text.split(':').length === 2
        ? `"${clip(text)}" must be a host name or IP address only; give the port in port`
        : `"${clip(text)}" is not a host name (such as sip.carrier.example) or an IP address`,
  );
  return undefined;
}

function readPort(problems: SpecProblems, value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) {
    return value;
  }
  problems.add(path, 'must be a whole number from 1 to 65535, such as 5060');
  return undefined;
}

function readUsername(problems: SpecProblems, value: unknown, path: string): string | undefined {
  const text = problems.string(value, path);
  if (text === undefined) return undefined;
  if (DIGEST_USERNAME.test(text)) return text;
  problems.add(
    path,
    `"${clip(text)}" must be 1-64 characters without spaces, quotes, backslashes or ":"`,
  );
  return undefined;
}

function readPassword(problems: SpecProblems, value: unknown, path: string): string | undefined {
  // Never quote the value back: problem messages are shown and logged.
  const text = problems.string(value, path);
  if (text === undefined) return undefined;
  const length = [...text].length;
  if (length < 1 || length > 128) {
    problems.add(path, 'must be 1-128 characters');
    return undefined;
  }
  if (CONTROL.test(text)) {
    problems.add(path, 'must not contain control characters');
    return undefined;
  }
  return text;
}

function readAddresses(
  problems: SpecProblems,
  value: unknown,
  path: string,
): readonly string[] | undefined {
  const list = problems.list(value, path);
  if (list.length > MAX_INBOUND_ADDRESSES) {
    problems.add(path, `at most ${MAX_INBOUND_ADDRESSES} addresses, got ${list.length}`);
    return undefined;
  }
  const seen = new Set<string>();
  let valid = true;
  list.forEach((entry, i) => {
    const text = problems.string(entry, item(path, i));
    if (text === undefined) {
      valid = false;
      return;
    }
    const address = canonicalIpAddress(text);
    if (address === undefined) {
      problems.add(
        item(path, i),
        `"${clip(text)}" is not an IP address such as 192.0.2.10 or 2001:db8::10`,
      );
      valid = false;
    } else if (seen.has(address)) {
      problems.add(item(path, i), `"${text}" is listed twice`);
      valid = false;
    } else {
      seen.add(address);
    }
  });
  return valid ? [...seen] : undefined;
}

/** Validates the untrusted `spec` of a `kind: Trunk` document named `name`. */
export function validateTrunkSpec(input: unknown, name: string): TrunkSpecValidation {
  const problems = new SpecProblems();
  const spec = readTrunkSpec(problems, input, '', name);
  return spec === undefined
    ? { ok: false, problems: problems.all }
    : { ok: true, spec: trustedTrunkSpec(spec) };
}

/** The one error for a trunk spec that breaks rules; the message lists the first problems. */
export function trunkSpecError(problems: readonly SpecProblem[]): ProvisioningError {
  const shown = problems.slice(0, 10).map(formatProblem);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new ProvisioningError(
    ProvisioningErrorCode.InvalidTrunkSpec,
    `the trunk spec has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown.join('; ')}${more}`,
    { problems },
  );
}
