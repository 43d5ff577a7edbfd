import {
  buildResponse,
  type ParsedMessage,
  type Peer,
  type SipRequest,
  type SipResponse,
} from '@pbx/sip';
import type { TrunkDirectory, TrunkRoute } from '@pbx/telephony';
import type { AuthOutcome } from '../src/auth/digest-authenticator';
import type { EdgeRegistrar } from '../src/edge/sip-edge-server';
import type { Binding } from '../src/registrar/binding';

export const TENANT = 'tenant-1';
export const GROUP = 'group-1';
export const DOMAIN = 'example.test';

/**
 * The registrar as the edge sees it: every caller is a known device (its From user), and the
 * bindings are what the test put there (no REGISTER needed to ring a test phone).
 */
export class FakeEdgeRegistrar implements EdgeRegistrar {
  readonly #bindings = new Map<string, Binding[]>();

  /** Binds `contact` (received from `flow`) to `<username>@<domain>`. */
  bind(username: string, contact: string, flow: Peer, domain = DOMAIN): void {
    const aor = `${username}@${domain}`;
    const list = this.#bindings.get(aor) ?? [];
    list.push({
      key: `${aor}#${list.length}`,
      contact,
      expiresAt: Date.now() + 3_600_000,
      q: null,
      callId: `reg-${aor}-${list.length}`,
      cseq: 1,
      source: flow,
      outbound: false,
      tenantId: TENANT,
      groupId: GROUP,
      deviceId: `${GROUP}:${username}`,
      username,
      domain,
      updatedAt: Date.now(),
    });
    this.#bindings.set(aor, list);
  }

  handleRegister(parsed: ParsedMessage): Promise<SipResponse> {
    return Promise.resolve(buildResponse(parsed.message as SipRequest, 403));
  }

  authenticateRequest(parsed: ParsedMessage): Promise<AuthOutcome> {
    const from = parsed.from.uri;
    const username = 'user' in from && from.user !== null ? from.user : 'anonymous';
    return Promise.resolve({
      ok: true,
      device: {
        tenantId: TENANT,
        groupId: GROUP,
        deviceId: `${GROUP}:${username}`,
        username,
        domain: DOMAIN,
        ownerExtension: username,
        realm: DOMAIN,
        ha1: {},
      },
    });
  }

  lookup(username: string, domain: string): Promise<Binding[]> {
    return Promise.resolve([...(this.#bindings.get(`${username}@${domain}`) ?? [])]);
  }
}

/** A fixed list of carrier trunks. */
export class FakeTrunkDirectory implements TrunkDirectory {
  constructor(private readonly list: readonly TrunkRoute[] = []) {}

  trunks(): readonly TrunkRoute[] {
    return this.list;
  }

  onChange(): void {
    // The list never changes.
  }
}
