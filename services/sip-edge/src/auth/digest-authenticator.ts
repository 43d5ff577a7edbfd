import { isPromise, runSteps, wait, type MaybePromise, type Steps } from '@pbx/domain';
import {
  type DigestAlgorithm,
  buildDigestChallenges,
  buildResponse,
  challengeHeaderFor,
  parseDigestCredentials,
  DigestCredentialsErrorCode,
  verifyDigest,
  type DigestCredentials,
  type DigestVerification,
  type NonceCountTracker,
  type NonceIssuer,
  type NonceVerifier,
  type ParsedMessage,
  type Peer,
  type SipRequest,
  type SipResponse,
} from '@pbx/sip';
import type { DeviceCredentials, DeviceDirectory } from '../directory/device-credentials';
import { sameRequestUri } from '../registrar/contact-uri';
import type { AuthFailureReason, AuthThrottle } from './auth-throttle';

export interface DigestAuthenticatorDeps {
  readonly directory: DeviceDirectory;
  /** HmacNonceService: nonces any edge instance holding the secret can check. */
  readonly nonces: NonceIssuer & NonceVerifier;
  /** InMemoryNonceCountTracker, or RedisNonceCountTracker when instances share Redis. */
  readonly nonceCounts: NonceCountTracker;
  readonly throttle: AuthThrottle;
  /** Milliseconds since the epoch (the nonces carry wall-clock times). */
  readonly clock: () => number;
  /** Accept RFC 2069 responses without qop (no replay protection). Off by default. */
  readonly allowRfc2069?: boolean;
  /**
   * Algorithms offered, one challenge each, in this order (default SHA-256 then MD5, RFC 8760).
   * Phones that read only the first challenge need MD5 first (PBX_SIP_DIGEST_ALGORITHMS).
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /**
   * The same for requests over WS and WSS (default: `algorithms`). Browser SIP libraries answer
   * only the last challenge, in MD5 only, so MD5 goes last there (PBX_SIP_WS_DIGEST_ALGORITHMS).
   */
  readonly webSocketAlgorithms?: readonly DigestAlgorithm[];
}

export interface AuthenticationTarget {
  /** The domain whose devices may send this request; also the realm. Lowercase. */
  readonly domain: string;
  /** 407 with Proxy-Authenticate (calls) instead of 401 with WWW-Authenticate (REGISTER). */
  readonly proxy: boolean;
}

export type AuthOutcome =
  | { readonly ok: true; readonly device: DeviceCredentials }
  | { readonly ok: false; readonly response: SipResponse };

/** A challenge's status (401 or 407) and its WWW-/Proxy-Authenticate fields. */
export interface ChallengeFields {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
}

/** What identifyAtOnce found: the device, its credentials, and `user@domain` for the throttle. */
export interface Identified {
  readonly device: DeviceCredentials;
  readonly credentials: DigestCredentials;
  readonly user: string;
}

/**
 * RFC 3261 section 22 digest authentication of a device (RFC 7616 with SHA-256 and MD5, RFC
 * 8760), with the throttle in front: a source or user over its failure limit gets 403 before
 * any lookup or hashing. Wrong passwords and unknown users get the same fresh challenge, so
 * the answer does not tell which names exist.
 */
export class DigestAuthenticator {
  constructor(private readonly deps: DigestAuthenticatorDeps) {}

  /** At once when everything it needs is at hand (see MaybePromise), else a Promise. */
  authenticate(
    parsed: ParsedMessage,
    source: Peer,
    target: AuthenticationTarget,
  ): MaybePromise<AuthOutcome> {
    return runSteps(this.authenticationSteps(parsed, source, target));
  }

  /** authenticate() as Steps, for callers that are Steps themselves. */
  *authenticationSteps(
    parsed: ParsedMessage,
    source: Peer,
    target: AuthenticationTarget,
  ): Steps<AuthOutcome> {
    const request = parsed.message as SipRequest;
    const { throttle } = this.deps;
    if (throttle.check(source.address, undefined).throttled) return refuse(request, 403);

    const credentialsHeader = target.proxy ? 'Proxy-Authorization' : 'Authorization';
    const values = request.headers.getAll(credentialsHeader);
    const credentials = pickCredentials(values, target.domain);
    // No Digest credentials at all (none sent, or only in schemes we do not know, RFC 4475
    // regaut01): challenge in the scheme we understand (RFC 3261 22.1).
    if (credentials === 'none') return this.#challenge(request, source, target, false);
    if (credentials === 'malformed') {
      return refuse(request, 400, `Malformed ${credentialsHeader}`);
    }

    const user = `${credentials.username}@${target.domain}`;
    if (throttle.check(source.address, user).throttled) return refuse(request, 403);
    const fail = (reason: AuthFailureReason): AuthOutcome => {
      throttle.recordFailure(source.address, user, reason);
      return this.#challenge(request, source, target, false);
    };

    // RFC 7616 section 3.4.6: the response must be for this very request target.
    if (!sameRequestUri(credentials.uri, request.requestUri)) {
      throttle.recordFailure(source.address, user, 'uri-mismatch');
      return refuse(request, 400, 'Authorization URI Mismatch');
    }
    const device = yield* wait(this.deps.directory.find(credentials.username, target.domain));
    if (device === undefined) return fail('unknown-user');
    // HA1s computed for another realm (the domain just changed) cannot match anything.
    if (device.realm !== target.domain) return fail('realm-mismatch');

    const verdict = yield* wait(this.#verify(request.method, credentials, device));
    if (verdict.ok) {
      throttle.recordSuccess(user);
      return { ok: true, device };
    }
    switch (verdict.reason) {
      case 'stale':
        return this.#challenge(request, source, target, true);
      case 'bad-response':
        return fail('wrong-password');
      case 'bad-nonce':
        return fail('bad-nonce');
      case 'replay':
        return fail('replay');
      case 'realm-mismatch':
        return fail('realm-mismatch');
      case 'unsupported-algorithm':
      case 'unsupported-qop':
        // Not a guess: the device answered in a way we do not offer. Offer again.
        return this.#challenge(request, source, target, false);
      case 'missing-parameter':
        return refuse(request, 400, `Malformed ${credentialsHeader}`);
      default:
        return assertNever(verdict.reason);
    }
  }

  /**
   * The first challenge of a request that carries no credentials at all, answered without a
   * transaction (RFC 3261 8.2.7): null when it needs the full path (a throttled source gets its
   * 403 there, credentials in other schemes are looked at there). `toTag` must be the same for
   * the same request, since a retransmission gets a response made anew.
   */
  challengeWithoutCredentials(
    request: SipRequest,
    source: Peer,
    target: AuthenticationTarget,
    toTag: string,
  ): SipResponse | null {
    if (request.headers.has(target.proxy ? 'Proxy-Authorization' : 'Authorization')) return null;
    if (this.deps.throttle.check(source.address, undefined).throttled) return null;
    return this.#challengeResponse(request, source, target, false, toTag);
  }

  /** Whether verifyAtOnce may be used: the nonce counts are kept in the process. */
  get answersAtOnce(): boolean {
    return this.deps.nonceCounts.answersAtOnce === true;
  }

  /**
   * The challenge of a request without credentials that was read without the parser (as
   * challengeWithoutCredentials gives it): its status and header fields, or null when the
   * source is throttled (the full path answers that).
   */
  challengeAtOnce(source: Peer, target: AuthenticationTarget): ChallengeFields | null {
    if (this.deps.throttle.check(source.address, undefined).throttled) return null;
    return this.#challengeFields(source, target, false);
  }

  /**
   * For a request read without the parser, with one Authorization value: the device and
   * credentials to check when the full path would check them too with nothing refused, counted
   * or asked of a store on the way (no throttle, Digest for our realm, the request's own URI, a
   * device the directory has at hand). Null otherwise, for the full path to answer. Records
   * nothing.
   */
  identifyAtOnce(
    value: string,
    requestUri: string,
    source: Peer,
    target: AuthenticationTarget,
  ): Identified | null {
    const { throttle } = this.deps;
    if (throttle.check(source.address, undefined).throttled) return null;
    const parsed = parseDigestCredentials(value);
    if (!parsed.ok || parsed.value.realm !== target.domain) return null;
    const credentials = parsed.value;
    const user = `${credentials.username}@${target.domain}`;
    if (throttle.check(source.address, user).throttled) return null;
    if (!sameRequestUri(credentials.uri, requestUri)) return null;
    const device = this.deps.directory.find(credentials.username, target.domain);
    if (device === undefined || isPromise(device) || device.realm !== target.domain) return null;
    return { device, credentials, user };
  }

  /**
   * Checks identifyAtOnce's credentials (answersAtOnce only): true when the digest is right and
   * its nonce count fresh, which is then recorded and the success counted; false, with nothing
   * recorded, for anything else (the full path then answers the request as it would have).
   */
  verifyAtOnce(identified: Identified, method: string): boolean {
    const verdict = this.#verify(method, identified.credentials, identified.device);
    if (isPromise(verdict))
      throw new TypeError('verifyAtOnce needs nonce counts kept in the process');
    if (!verdict.ok) return false;
    this.deps.throttle.recordSuccess(identified.user);
    return true;
  }

  /** The digest check; the device's realm is the target domain (checked before). */
  #verify(
    method: string,
    credentials: DigestCredentials,
    device: DeviceCredentials,
  ): MaybePromise<DigestVerification> {
    return verifyDigest({
      method,
      credentials,
      ha1: device.ha1,
      realm: device.realm,
      nonceService: this.deps.nonces,
      ncTracker: this.deps.nonceCounts,
      now: this.deps.clock(),
      allowRfc2069: this.deps.allowRfc2069,
    });
  }

  #challenge(
    request: SipRequest,
    source: Peer,
    target: AuthenticationTarget,
    stale: boolean,
  ): AuthOutcome {
    return { ok: false, response: this.#challengeResponse(request, source, target, stale) };
  }

  #challengeResponse(
    request: SipRequest,
    source: Peer,
    target: AuthenticationTarget,
    stale: boolean,
    toTag?: string,
  ): SipResponse {
    const { status, headers } = this.#challengeFields(source, target, stale);
    return buildResponse(request, status, toTag === undefined ? { headers } : { headers, toTag });
  }

  /** 401 or 407 with one challenge per algorithm offered, on a new nonce. */
  #challengeFields(source: Peer, target: AuthenticationTarget, stale: boolean): ChallengeFields {
    const { status, name } = challengeHeaderFor(target.proxy ? 'proxy' : 'user-agent');
    const nonce = this.deps.nonces.issue(target.domain);
    const overWebSocket = source.protocol === 'ws' || source.protocol === 'wss';
    const headers = buildDigestChallenges(
      { realm: target.domain, nonce, stale },
      overWebSocket
        ? (this.deps.webSocketAlgorithms ?? this.deps.algorithms)
        : this.deps.algorithms,
    ).map((value) => [name, value] as const);
    return { status, headers };
  }
}

/**
 * The credentials for our realm when several are given (one per realm, RFC 3261 22.3); 'none'
 * when no value is in the Digest scheme, 'malformed' when a Digest value does not parse.
 */
function pickCredentials(
  values: readonly string[],
  realm: string,
): DigestCredentials | 'none' | 'malformed' {
  let first: DigestCredentials | undefined;
  let malformed = false;
  for (const value of values) {
    const result = parseDigestCredentials(value);
    if (!result.ok) {
      malformed ||= result.error.code !== DigestCredentialsErrorCode.NotDigest;
      continue;
    }
    if (result.value.realm === realm) return result.value;
    first ??= result.value;
  }
  return first ?? (malformed ? 'malformed' : 'none');
}

function refuse(request: SipRequest, status: number, reason?: string): AuthOutcome {
  return { ok: false, response: buildResponse(request, status, reason ? { reason } : {}) };
}

function assertNever(value: never): never {
  throw new TypeError(`unhandled digest failure ${String(value)}`);
}
