import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  SipTransportLayer,
  TransactionLayer,
  type SipTransportLayerOptions,
  type TransportProtocol,
} from '@pbx/sip';
import type { CallRouting, MediaControl, TrunkDirectory, TrunkRoute } from '@pbx/telephony';
import type { B2buaContext } from '../b2bua/b2bua-context';
import { DialogRegistry } from '../b2bua/dialog-registry';
import { RequestDispatcher, type RegisterHandler } from '../b2bua/request-dispatcher';
import { assertSessionTimerPolicy, MIN_SE } from '../b2bua/session-timer';
import { TrunkMatcher } from '../trunks/trunk-matcher';
import { TrunkRegistration } from '../trunks/trunk-registration';
import { registerScreen } from './register-screen';
import { EdgeCallerAuthenticator, type RequestAuthenticator } from './edge-caller-authenticator';
import { RegisteredContacts, type BindingLookup } from './registered-contacts';

/** What the edge needs of the registrar (the Registrar class; a fake in tests). */
export type EdgeRegistrar = RegisterHandler & RequestAuthenticator & BindingLookup;

export interface SipEdgeServerOptions {
  readonly transport: SipTransportLayerOptions;
  readonly sessionExpiresS: number;
  /** The edge's Min-SE (RFC 4028 section 5); 90 s when unset. */
  readonly minSessionExpiresS?: number;
  readonly maxCalls: number;
  readonly registrar: EdgeRegistrar;
  readonly routing: CallRouting;
  readonly media: MediaControl;
  readonly trunks: TrunkDirectory;
  readonly log: Logger;
  readonly registry: Registry;
}

/**
 * The SIP edge at run time: transports, the transaction layer, the registrar and the B2BUA
 * behind one dispatcher, and the registrations the platform keeps with its carriers.
 */
export class SipEdgeServer {
  readonly #registrations = new Map<string, TrunkRegistration>();
  #closed = false;

  private constructor(
    readonly transport: SipTransportLayer,
    readonly layer: TransactionLayer,
    private readonly ctx: B2buaContext,
    private readonly matcher: TrunkMatcher,
    private readonly options: SipEdgeServerOptions,
  ) {}

  static async start(options: SipEdgeServerOptions): Promise<SipEdgeServer> {
    const { log, registry } = options;
    assertSessionTimerPolicy({
      configuredS: options.sessionExpiresS,
      minSeS: options.minSessionExpiresS ?? MIN_SE,
    });
    const calls = new Set<{ shutdown(): void }>();
    const metrics = edgeMetrics(registry, () => calls.size);
    const transport = await SipTransportLayer.start({
      ...options.transport,
      log: {
        warn: (obj, msg) => log.warn(obj, msg),
        debug: (obj, msg) => log.debug(obj, msg),
      },
      observer: {
        received: (protocol) => metrics.received.inc({ protocol }),
        malformed: (protocol, status) =>
          metrics.malformed.inc({
            protocol,
            answered: status === undefined ? 'no' : String(status),
          }),
        connectionsOpen: (delta) => metrics.connections.inc(delta),
        connectionRefused: (reason) => metrics.refused.inc({ reason }),
      },
    });
    const layer = new TransactionLayer(transport, {
      onError: (error) => log.warn({ err: error }, 'SIP transaction user error'),
    });
    const ctx: B2buaContext = {
      layer,
      transport,
      routing: options.routing,
      media: options.media,
      contacts: new RegisteredContacts(options.registrar),
      dialogs: new DialogRegistry(),
      settings: {
        publicHost: transport.via('udp').sentBy.replace(/:\d+$/, ''),
        sessionExpiresS: options.sessionExpiresS,
        minSessionExpiresS: options.minSessionExpiresS,
      },
      log,
      calls,
      observe: {
        postDial: (seconds) => metrics.postDial.observe(seconds),
      },
    };
    const matcher = new TrunkMatcher(options.trunks, log);
    await matcher.refresh();
    const dispatcher = new RequestDispatcher(
      ctx,
      options.registrar,
      new EdgeCallerAuthenticator(options.registrar, matcher),
      { maxCalls: options.maxCalls },
    );
    layer.onRequest((request) => dispatcher.handle(request));
    const registrar = options.registrar;
    if (registrar.challengeStatelessly !== undefined) {
      layer.setStatelessScreen((inbound) => {
        const message = inbound.parsed.message;
        if (message.kind !== 'request') return null;
        // Carriers are recognised by address and never challenged.
        if (message.method === 'INVITE' && matcher.match(inbound.source) !== undefined) return null;
        return registrar.challengeStatelessly?.(inbound.parsed, inbound.source) ?? null;
      });
    }
    if (registrar.registerAtOnce !== undefined && registrar.answersAtOnce === true) {
      transport.setDatagramScreen(registerScreen(layer, registrar.registerAtOnce.bind(registrar)));
    }
    const server = new SipEdgeServer(transport, layer, ctx, matcher, options);
    server.#syncRegistrations();
    options.trunks.onChange(() => server.#syncRegistrations());
    log.info({ ports: transport.ports() }, 'SIP edge listening');
    return server;
  }

  ports(): Partial<Record<TransportProtocol, number>> {
    return this.transport.ports();
  }

  /** Calls in progress. */
  get activeCalls(): number {
    return this.ctx.calls.size;
  }

  /** Ends every call, unregisters from carriers, closes the transports. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const call of [...this.ctx.calls]) call.shutdown();
    for (const r of this.#registrations.values()) r.stop();
    // Let the BYEs and un-REGISTERs leave before the sockets close.
    await new Promise((resolve) => setTimeout(resolve, 200));
    this.layer.close();
    await this.transport.close();
  }

  /** Starts, restarts or stops the carrier registrations to match the trunk list. */
  #syncRegistrations(): void {
    if (this.#closed) return;
    const wanted = new Map<string, TrunkRoute>();
    for (const t of this.options.trunks.trunks()) if (t.register) wanted.set(t.trunkId, t);
    for (const [id, registration] of this.#registrations) {
      if (!wanted.has(id)) {
        registration.stop();
        this.#registrations.delete(id);
      }
    }
    for (const [id, trunk] of wanted) {
      const key = `${id}`;
      const existing = this.#registrations.get(key);
      if (existing && existing.trunk === trunk) continue;
      existing?.stop();
      const registration = new TrunkRegistration(
        trunk,
        this.layer,
        this.transport,
        this.options.log,
      );
      this.#registrations.set(key, registration);
      registration.start();
    }
  }

  /** For tests and the status API: each registering trunk's state. */
  trunkRegistrations(): { trunkId: string; state: string }[] {
    return [...this.#registrations].map(([trunkId, r]) => ({ trunkId, state: r.state }));
  }
}

function edgeMetrics(
  registry: Registry,
  activeCalls: () => number,
): {
  received: Counter<'protocol'>;
  malformed: Counter<'protocol' | 'answered'>;
  connections: Gauge;
  refused: Counter<'reason'>;
  activeCalls: Gauge;
  postDial: Histogram;
} {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'pbx_sip_messages_received_total',
      help: 'SIP messages received, by transport',
      labelNames: ['protocol'],
      registers,
    }),
    malformed: new Counter({
      name: 'pbx_sip_malformed_total',
      help: 'Malformed SIP messages, by transport and the status they were answered with',
      labelNames: ['protocol', 'answered'],
      registers,
    }),
    connections: new Gauge({
      name: 'pbx_sip_connections_open',
      help: 'Open TCP/TLS/WS/WSS connections',
      registers,
    }),
    refused: new Counter({
      name: 'pbx_sip_connections_refused_total',
      help: 'Connections refused by the edge protection, by reason',
      labelNames: ['reason'],
      registers,
    }),
    activeCalls: new Gauge({
      name: 'pbx_calls_active',
      help: 'Calls in progress',
      registers,
      collect(): void {
        this.set(activeCalls());
      },
    }),
    postDial: new Histogram({
      name: 'pbx_sip_post_dial_delay_seconds',
      help: 'Time from reading a new INVITE to sending the callee theirs (authentication, routing, media, contact lookup)',
      buckets: [
        0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1,
        0.5,
      ],
      registers,
    }),
  };
}
