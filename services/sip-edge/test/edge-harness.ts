import pino from 'pino';
import { Registry } from 'prom-client';
import type { Peer } from '@pbx/sip';
import type { CalleeTarget, RouteDecision, TrunkRoute } from '@pbx/telephony';
import { SipEdgeServer } from '../src/edge/sip-edge-server';
import { FakeCallRouting, type Decide } from './fake-call-routing';
import {
  DOMAIN,
  FakeEdgeRegistrar,
  FakeTrunkDirectory,
  GROUP,
  TENANT,
} from './fake-edge-registrar';
import { FakeMediaControl } from './fake-media-control';
import { TestPhone } from './test-phone';

/** A decision to ring the user `sipUser` (one device) or several devices. */
export function ringUser(
  sipUsers: readonly string[],
  options: { readonly noAnswerTimeoutS?: number } = {},
): RouteDecision {
  const callee: CalleeTarget = {
    kind: 'user',
    tenantId: TENANT,
    groupId: GROUP,
    userId: sipUsers[0],
    displayName: 'Bob',
    devices: sipUsers.map((u) => ({ deviceId: `${GROUP}:${u}`, sipUser: u, domain: DOMAIN })),
  };
  return {
    kind: 'connect',
    callee,
    caller: { number: '201', displayName: 'Alice', restricted: false },
    noAnswerTimeoutS: options.noAnswerTimeoutS ?? 30,
  };
}

/** A decision to send the call out over `trunk`. */
export function callOut(trunk: TrunkRoute, number: string): RouteDecision {
  return {
    kind: 'connect',
    callee: { kind: 'trunk', trunk, number },
    caller: { number: '+31201234567', restricted: false },
    noAnswerTimeoutS: 30,
  };
}

/** A running edge with fakes behind it and the phones a test made; close() releases all. */
export class EdgeHarness {
  readonly #phones: TestPhone[] = [];

  private constructor(
    readonly server: SipEdgeServer,
    readonly routing: FakeCallRouting,
    readonly media: FakeMediaControl,
    readonly registrar: FakeEdgeRegistrar,
  ) {}

  static async start(
    options: {
      readonly decide?: Decide;
      readonly trunks?: readonly TrunkRoute[];
      /** The edge's Min-SE; a test lowers it to see session refreshes within seconds. */
      readonly minSessionExpiresS?: number;
    } = {},
  ): Promise<EdgeHarness> {
    const routing = new FakeCallRouting(
      options.decide ??
        (() => ({ kind: 'reject', status: 404, reason: 'Not Found', cause: 'not-found' })),
    );
    const media = new FakeMediaControl();
    const registrar = new FakeEdgeRegistrar();
    const server = await SipEdgeServer.start({
      // WebSocket too, so that a test can bind a browser's contact (its fork gets a WebRTC offer).
      transport: { host: '127.0.0.1', udpPort: 0, tcpPort: 0, wsPort: 0 },
      sessionExpiresS: 1800,
      minSessionExpiresS: options.minSessionExpiresS,
      maxCalls: 100,
      registrar,
      routing,
      media,
      trunks: new FakeTrunkDirectory(options.trunks),
      log: pino({ level: 'silent' }),
      registry: new Registry(),
    });
    return new EdgeHarness(server, routing, media, registrar);
  }

  /** Where phones send to: the edge's UDP address. */
  get peer(): Peer {
    const port = this.server.ports().udp;
    if (port === undefined) throw new Error('the edge has no UDP port');
    return { protocol: 'udp', address: '127.0.0.1', port };
  }

  /** A phone; `registered` binds it as `<name>@example.test` so calls to that user ring it. */
  async phone(
    name: string,
    options: { readonly registered?: boolean; readonly as?: string } = {},
  ): Promise<TestPhone> {
    const phone = await TestPhone.start(name);
    this.#phones.push(phone);
    if (options.registered === true || options.as !== undefined) {
      this.registrar.bind(options.as ?? name, phone.contact, phone.peer);
    }
    return phone;
  }

  async close(): Promise<void> {
    await this.server.close();
    await Promise.all(this.#phones.map((p) => p.close()));
  }
}
