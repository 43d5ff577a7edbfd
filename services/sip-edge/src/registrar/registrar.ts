import { isPromise, ownString, runSteps, wait, type MaybePromise, type Steps } from '@pbx/domain';
import {
  buildResponse,
  isSipUri,
  randomToken,
  statelessToTag,
  statelessToTagOf,
  type RegisterScan,
  tagOf,
  unsupportedOptionTags,
  type ParsedMessage,
  type Peer,
  type SipRequest,
  type SipResponse,
} from '@pbx/sip';
import type { AuthOutcome, DigestAuthenticator } from '../auth/digest-authenticator';
import type { AuthThrottle } from '../auth/auth-throttle';
import {
  aorOf,
  type DeviceCredentials,
  type DeviceDirectory,
} from '../directory/device-credentials';
import { bindingKeyOf, byPreference, type Binding } from './binding';
import type { BindingChange, BindingStore, BindingUpdateResult } from './binding-store';
import { canonicalSipUri } from './contact-uri';
import { planRegister, type ContactPlan } from './register-plan';
import { registerOk, registerOkFields } from './register-response';
import type { RegistrarPolicy } from './registrar-policy';
import type { RegistrationEventSink } from './registration-event-publisher';

export interface RegistrarLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface RegistrarDeps {
  readonly directory: DeviceDirectory;
  readonly bindings: BindingStore;
  readonly authenticator: DigestAuthenticator;
  /** The authenticator's throttle: a device registering another's AOR counts as a failure. */
  readonly throttle: AuthThrottle;
  readonly events: RegistrationEventSink;
  readonly policy: RegistrarPolicy;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly log: RegistrarLog;
}

/** The status a final answer of registerAtOnce, with the fields after the copied ones. */
export interface ScreenedAnswer {
  readonly status: number;
  readonly reason?: string;
  readonly headers: readonly (readonly [string, string])[];
  /** The To tag to add (the request has none). */
  readonly toTag: string;
  /** Sent without a transaction (the first challenge) rather than kept for retransmissions. */
  readonly stateless: boolean;
}

/** What a REGISTER tells of itself that its bindings keep. */
interface SentRegister {
  readonly callId: string;
  readonly seq: number;
  readonly userAgent: string | undefined;
}

const OUT_OF_ORDER = 'Out Of Order Request';

/** Option tags a REGISTER may require of us (RFC 3261 section 10.3 step 2). */
const UNDERSTOOD = new Set(['outbound']);

/**
 * The registrar of RFC 3261 section 10.3 for the platform's devices: a device registers its
 * own AOR `<username>@<group domain>`, authenticated by digest; bindings live in a BindingStore
 * shared by the edge instances, and appearing or disappearing bindings are reported as
 * registration events (never on the response path).
 */
export class Registrar {
  constructor(private readonly deps: RegistrarDeps) {}

  /**
   * The response to a REGISTER: at once when the directory, the nonce counts and the bindings
   * are all at hand (a registrar with its stores in the process, a device it knows), else a
   * Promise. Never rejects.
   */
  handleRegister(parsed: ParsedMessage, source: Peer): MaybePromise<SipResponse> {
    const request = parsed.message as SipRequest;
    try {
      const response = runSteps(this.#register(parsed, request, source));
      return isPromise(response)
        ? response.catch((error: unknown) => this.#unavailable(request, source, error))
        : response;
    } catch (error) {
      return this.#unavailable(request, source, error);
    }
  }

  /**
   * Directory or binding store unreachable: 503 sends the phone to another edge or back later
   * (RFC 3261 section 21.5.4), instead of a 500 it may treat as final.
   */
  #unavailable(request: SipRequest, source: Peer, error: unknown): SipResponse {
    this.deps.log.error(`REGISTER from ${source.address}:${source.port} failed: ${String(error)}`);
    return buildResponse(request, 503, { headers: [['Retry-After', '5']] });
  }

  /**
   * The challenge for a request that carries no credentials, sent without a transaction (RFC
   * 3261 8.2.7: "the stateless UAS role is needed primarily to handle unauthenticated requests
   * for which a challenge response is issued"), so that a flood of them leaves no state behind
   * and the usual first REGISTER or INVITE of a phone costs no transaction: 401 for a REGISTER
   * (realm the Request-URI's domain), 407 for a new INVITE from a device (realm the From
   * domain). Only when the answer is the one the full path would give and needs no I/O: the
   * domain is known to be ours at hand, nothing is required of us, and the source is not
   * throttled. Otherwise null. The caller rules out carriers, which are not challenged.
   */
  challengeStatelessly(parsed: ParsedMessage, source: Peer): SipResponse | null {
    const request = parsed.message as SipRequest;
    if (request.headers.has('Require')) return null;
    let domain: string;
    if (request.method === 'REGISTER') {
      const target = parsed.requestUri;
      if (target === null || !isSipUri(target)) return null;
      domain = target.host.toLowerCase();
    } else if (request.method === 'INVITE') {
      const from = parsed.from.uri;
      if (tagOf(parsed.to) !== undefined || !isSipUri(from) || from.user === null) return null;
      domain = from.host.toLowerCase();
    } else {
      return null;
    }
    if (this.deps.directory.knownDomain(domain) !== true) return null;
    return this.deps.authenticator.challengeWithoutCredentials(
      request,
      source,
      { domain, proxy: request.method === 'INVITE' },
      statelessToTag(parsed),
    );
  }

  /**
   * Whether registerAtOnce can answer: nonce counts and bindings are kept in the process (with
   * Redis the full path answers, as it waits for the store).
   */
  get answersAtOnce(): boolean {
    return this.deps.authenticator.answersAtOnce && this.deps.bindings.answersAtOnce === true;
  }

  /**
   * The answer to a plain REGISTER read without the parser (scanUdpRegister), when it is one the
   * full path would give and everything it needs is at hand (answersAtOnce): the 401 of a first
   * REGISTER, or for right credentials of the device whose AOR is in To a 200 (or the 500 of an
   * out-of-order request). Null for anything else, before anything is recorded: the full path
   * then answers the request as always (removals, brief expiries, wrong credentials, throttled
   * sources, unknown domains and devices, devices not in the directory's cache).
   */
  registerAtOnce(scan: RegisterScan, source: Peer): ScreenedAnswer | null {
    const { directory, authenticator, policy } = this.deps;
    if (directory.knownDomain(scan.domain) !== true) return null;
    const target = { domain: scan.domain, proxy: false };
    if (scan.authorization === null) {
      const challenge = authenticator.challengeAtOnce(source, target);
      if (challenge === null) return null;
      const toTag = statelessToTagOf({
        callId: scan.callId,
        fromTag: scan.fromTag,
        seq: scan.seq,
        method: 'REGISTER',
        branch: scan.branch,
        viaHost: scan.viaHost,
        viaPort: scan.viaPort,
      });
      return { ...challenge, toTag, stateless: true };
    }
    const expires = scan.contactExpires ?? scan.expires ?? policy.defaultExpires;
    if (expires < policy.minExpires) return null;
    const identified = authenticator.identifyAtOnce(
      scan.authorization,
      scan.requestUri,
      source,
      target,
    );
    if (identified === null) return null;
    const { device } = identified;
    if (scan.to.user !== device.username || scan.to.host.toLowerCase() !== device.domain) {
      return null;
    }
    if (!authenticator.verifyAtOnce(identified, 'REGISTER')) return null;

    const now = this.deps.clock();
    const plan: ContactPlan = {
      key: bindingKeyOf(canonicalSipUri(scan.contact), undefined),
      contact: scan.contactText,
      expires: Math.min(expires, policy.maxExpires),
      q: null,
      outbound: false,
    };
    const sent: SentRegister = {
      callId: scan.callId,
      seq: scan.seq,
      userAgent: scan.userAgent ?? undefined,
    };
    const bindings = this.#applyUpdate(
      aorOf(device.username, device.domain),
      scan.callId,
      scan.seq,
      now,
      [this.#change(plan, sent, source, device, now)],
      false,
    );
    if (isPromise(bindings)) {
      throw new TypeError('registerAtOnce needs bindings kept in the process');
    }
    const toTag = randomToken();
    if (bindings === null) {
      return { status: 500, reason: OUT_OF_ORDER, headers: [], toTag, stateless: false };
    }
    const headers = registerOkFields(bindings, now, { outbound: false });
    return { status: 200, headers, toTag, stateless: false };
  }

  /**
   * Authenticates a request other than REGISTER from a device, as a proxy does (407 with
   * Proxy-Authenticate, RFC 3261 section 22.3): the realm is the From domain, and the device
   * authenticated must be the one in From, so a device cannot place calls as another.
   */
  async authenticateRequest(
    parsed: ParsedMessage,
    source: Peer,
    options: { readonly proxy: boolean } = { proxy: true },
  ): Promise<AuthOutcome> {
    const request = parsed.message as SipRequest;
    const from = parsed.from.uri;
    if (!isSipUri(from) || from.user === null) {
      return { ok: false, response: buildResponse(request, 403, { reason: 'Unknown Caller' }) };
    }
    const domain = from.host.toLowerCase();
    try {
      if (!(await this.deps.directory.hasDomain(domain))) {
        return { ok: false, response: buildResponse(request, 403, { reason: 'Unknown Domain' }) };
      }
      const outcome = await this.deps.authenticator.authenticate(parsed, source, {
        domain,
        proxy: options.proxy,
      });
      if (outcome.ok && outcome.device.username !== from.user) {
        this.deps.throttle.recordFailure(
          source.address,
          `${outcome.device.username}@${domain}`,
          'identity-mismatch',
        );
        return {
          ok: false,
          response: buildResponse(request, 403, { reason: 'Identity Mismatch' }),
        };
      }
      return outcome;
    } catch (error) {
      this.deps.log.error(`authentication of ${request.method} failed: ${String(error)}`);
      return {
        ok: false,
        response: buildResponse(request, 503, { headers: [['Retry-After', '5']] }),
      };
    }
  }

  /** Every live contact of a device, preferred first: a call forks to all of them. */
  async lookup(username: string, domain: string): Promise<Binding[]> {
    const bindings = await this.deps.bindings.list(aorOf(username, domain), this.deps.clock());
    return [...bindings].sort(byPreference);
  }

  /** The device is gone from the configuration: its bindings go too. Returns how many. */
  async dropDevice(username: string, domain: string): Promise<number> {
    const now = this.deps.clock();
    const removal = await this.deps.bindings.removeAll(aorOf(username, domain), now);
    for (const binding of removal.live)
      this.deps.events.unregistered(binding, 'device-removed', now);
    for (const binding of removal.expired) this.deps.events.unregistered(binding, 'expired', now);
    return removal.live.length;
  }

  /** Reports and drops bindings that expired; the BindingSweeper calls it on a timer. */
  async sweepExpired(limit = 500): Promise<number> {
    const now = this.deps.clock();
    const expired = await this.deps.bindings.sweep(now, limit);
    for (const { binding } of expired) this.deps.events.unregistered(binding, 'expired', now);
    return expired.length;
  }

  *#register(parsed: ParsedMessage, request: SipRequest, source: Peer): Steps<SipResponse> {
    const target = parsed.requestUri;
    if (target === null || !isSipUri(target)) return buildResponse(request, 416);
    // Step 1: only our own domains are served here.
    const domain = target.host.toLowerCase();
    if (!(yield* wait(this.deps.directory.hasDomain(domain)))) return buildResponse(request, 404);

    // Step 2: an extension we do not understand.
    const unknown = unsupportedOptionTags(request.headers.getAll('Require'), UNDERSTOOD);
    if (unknown.length > 0) {
      return buildResponse(request, 420, { headers: [['Unsupported', unknown.join(', ')]] });
    }

    // Step 3: who is it.
    const auth = yield* this.deps.authenticator.authenticationSteps(parsed, source, {
      domain,
      proxy: false,
    });
    if (!auth.ok) return auth.response;
    const device = auth.device;

    // Steps 4 and 5: a device registers its own AOR only.
    const to = parsed.to.uri;
    if (!isSipUri(to) || to.user !== device.username || to.host.toLowerCase() !== device.domain) {
      this.deps.throttle.recordFailure(
        source.address,
        `${device.username}@${domain}`,
        'identity-mismatch',
      );
      return buildResponse(request, 403, { reason: 'Not Your Address Of Record' });
    }

    // Steps 6 and 7.
    const plan = planRegister(parsed, source, this.deps.policy);
    const aor = aorOf(device.username, device.domain);
    const now = this.deps.clock();
    switch (plan.kind) {
      case 'reject':
        return buildResponse(request, plan.status, {
          ...(plan.reason === undefined ? {} : { reason: plan.reason }),
          headers: plan.headers ?? [],
        });
      case 'query':
        return registerOk(request, yield* wait(this.deps.bindings.list(aor, now)), now, {
          outbound: false,
        });
      case 'remove-all':
        return yield* this.#update(parsed, aor, now, [], true);
      case 'update': {
        const sent: SentRegister = {
          callId: parsed.callId,
          seq: parsed.cseq.seq,
          userAgent: request.headers.get('User-Agent'),
        };
        const changes = plan.contacts.map((c) => this.#change(c, sent, source, device, now));
        const outbound = plan.contacts.some((c) => c.outbound && c.expires > 0);
        return yield* this.#update(parsed, aor, now, changes, false, outbound);
      }
      default:
        return assertNever(plan);
    }
  }

  *#update(
    parsed: ParsedMessage,
    aor: string,
    now: number,
    changes: readonly BindingChange[],
    removeAll: boolean,
    outbound = false,
  ): Steps<SipResponse> {
    const request = parsed.message as SipRequest;
    const bindings = yield* wait(
      this.#applyUpdate(aor, parsed.callId, parsed.cseq.seq, now, changes, removeAll),
    );
    if (bindings === null) return buildResponse(request, 500, { reason: OUT_OF_ORDER });
    return registerOk(request, bindings, now, { outbound });
  }

  /**
   * Applies a REGISTER's changes to the AOR's bindings and reports them as registration events;
   * the AOR's bindings, or null when the REGISTER was older than the bindings it would change
   * and nothing was applied (step 7: 500).
   */
  #applyUpdate(
    aor: string,
    callId: string,
    cseq: number,
    now: number,
    changes: readonly BindingChange[],
    removeAll: boolean,
  ): MaybePromise<readonly Binding[] | null> {
    const result = this.deps.bindings.update(aor, {
      callId,
      cseq,
      now,
      maxBindings: this.deps.policy.maxContacts,
      removeAll,
      changes,
    });
    return isPromise(result)
      ? result.then((r) => this.#applied(r, now))
      : this.#applied(result, now);
  }

  #applied(result: BindingUpdateResult, now: number): readonly Binding[] | null {
    const { events } = this.deps;
    for (const binding of result.expired) events.unregistered(binding, 'expired', now);
    if (result.status === 'out-of-order') return null;
    for (const binding of result.removed) events.unregistered(binding, 'removed', now);
    for (const binding of result.evicted) events.unregistered(binding, 'removed', now);
    for (const binding of result.added) events.registered(binding, now);
    return result.bindings;
  }

  #change(
    plan: ContactPlan,
    sent: SentRegister,
    source: Peer,
    device: DeviceCredentials,
    now: number,
  ): BindingChange {
    if (plan.expires === 0) return { kind: 'remove', key: plan.key };
    const userAgent = sent.userAgent;
    // A binding lives as long as its registration: its texts must not keep the whole request.
    const binding: Binding = {
      key: plan.key,
      contact: ownString(plan.contact),
      expiresAt: now + plan.expires * 1000,
      q: plan.q,
      callId: ownString(sent.callId),
      cseq: sent.seq,
      source: {
        protocol: source.protocol,
        address: source.address,
        port: source.port,
        ...(source.connectionId === undefined ? {} : { connectionId: source.connectionId }),
      },
      ...(plan.instanceId === undefined ? {} : { instanceId: plan.instanceId }),
      ...(plan.regId === undefined ? {} : { regId: plan.regId }),
      outbound: plan.outbound,
      ...(userAgent === undefined ? {} : { userAgent: ownString(userAgent) }),
      tenantId: device.tenantId,
      groupId: device.groupId,
      deviceId: device.deviceId,
      username: device.username,
      domain: device.domain,
      updatedAt: now,
    };
    return { kind: 'set', binding };
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unhandled REGISTER plan ${JSON.stringify(value)}`);
}
