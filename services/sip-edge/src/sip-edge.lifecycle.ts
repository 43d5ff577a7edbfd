import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PlatformConfig } from '@pbx/config';
import type { EventStore } from '@pbx/events';
import {
  DatabaseConnection,
  EVENT_STORE,
  LOGGER,
  PLATFORM_CONFIG,
  PlatformMetrics,
} from '@pbx/platform';
import {
  HmacNonceService,
  InMemoryNonceCountTracker,
  RedisNonceCountTracker,
  type NonceCountTracker,
} from '@pbx/sip';
import {
  CALL_ROUTING,
  MEDIA_CONTROL,
  TRUNK_DIRECTORY,
  type CallRouting,
  type MediaControl,
  type TrunkDirectory,
} from '@pbx/telephony';
import { AuthThrottle } from './auth/auth-throttle';
import { DigestAuthenticator } from './auth/digest-authenticator';
import { DeviceDirectorySync } from './directory/device-directory-sync';
import { DirectoryChanges } from './directory/directory-changes';
import { PostgresDeviceDirectory } from './directory/postgres-device-directory';
import { SipEdgeServer } from './edge/sip-edge-server';
import { BindingSweeper } from './registrar/binding-sweeper';
import type { BindingStore } from './registrar/binding-store';
import { InMemoryBindingStore } from './registrar/in-memory-binding-store';
import { RedisBindingStore } from './registrar/redis-binding-store';
import { Registrar } from './registrar/registrar';
import { registrarPolicy } from './registrar/registrar-policy';
import { RegistrationEventPublisher } from './registrar/registration-event-publisher';

export const DIRECTORY_CHANGES = Symbol('SIP_EDGE_DIRECTORY_CHANGES');

/**
 * Starts the SIP edge with the platform and stops it first on shutdown: the registrar (bindings
 * in Redis when REDIS_URL is set, in this process otherwise), the device directory kept in step
 * by its projection, and the SIP server with the B2BUA.
 */
@Injectable()
export class SipEdgeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  #server: SipEdgeServer | undefined;
  #redis: Redis | undefined;
  #sweeper: BindingSweeper | undefined;
  #publisher: RegistrationEventPublisher | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly rootLog: Logger,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DIRECTORY_CHANGES) private readonly changes: DirectoryChanges,
    @Inject(CALL_ROUTING) private readonly routing: CallRouting,
    @Inject(MEDIA_CONTROL) private readonly media: MediaControl,
    @Inject(TRUNK_DIRECTORY) private readonly trunks: TrunkDirectory,
    private readonly database: DatabaseConnection,
    private readonly metrics: PlatformMetrics,
  ) {}

  /** The running server (tests, status). */
  get server(): SipEdgeServer | undefined {
    return this.#server;
  }

  async onApplicationBootstrap(): Promise<void> {
    const config = this.config;
    const log = this.rootLog.child({ component: 'sip-edge' });
    const lines = {
      warn: (message: string): void => log.warn(message),
      error: (message: string): void => log.error(message),
    };
    const registry = this.metrics.registry;
    let bindings: BindingStore;
    let nonceCounts: NonceCountTracker;
    if (config.redisUrl !== undefined) {
      this.#redis = new Redis(config.redisUrl, {
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
      });
      this.#redis.on('error', (error: Error) => log.warn({ err: error }, 'Redis error'));
      bindings = new RedisBindingStore(this.#redis);
      nonceCounts = new RedisNonceCountTracker(this.#redis);
    } else {
      bindings = new InMemoryBindingStore();
      nonceCounts = new InMemoryNonceCountTracker();
    }
    const secret =
      config.sipNonceSecret !== undefined
        ? Buffer.from(config.sipNonceSecret, 'utf8')
        : randomBytes(32);
    const directory = new PostgresDeviceDirectory(this.database.dataSource, {});
    const throttle = new AuthThrottle({ registry });
    this.#publisher = new RegistrationEventPublisher(this.store, { log: lines });
    const registrar = new Registrar({
      directory,
      bindings,
      authenticator: new DigestAuthenticator({
        directory,
        nonces: new HmacNonceService({ secrets: { current: secret }, now: Date.now }),
        nonceCounts,
        throttle,
        clock: Date.now,
        algorithms: config.sipDigestAlgorithms,
        webSocketAlgorithms: config.sipWsDigestAlgorithms,
      }),
      throttle,
      events: this.#publisher,
      policy: registrarPolicy({
        minExpires: config.sipMinExpires,
        maxExpires: config.sipMaxExpires,
      }),
      clock: Date.now,
      log: lines,
    });
    const sync = new DeviceDirectorySync(directory, registrar, lines);
    this.#unsubscribe = this.changes.subscribe((touched) => void sync.handle(touched));
    this.#sweeper = new BindingSweeper(registrar, { log: lines });
    this.#sweeper.start();
    const tls =
      config.tlsCertFile !== undefined && config.tlsKeyFile !== undefined
        ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) }
        : undefined;
    this.#server = await SipEdgeServer.start({
      transport: {
        host: config.sipHost,
        publicHost: config.sipPublicHost,
        udpPort: config.sipPort,
        tcpPort: config.sipPort,
        tlsPort: config.sipTlsPort,
        wsPort: config.sipWsPort,
        wssPort: config.sipWssPort,
        tls,
      },
      sessionExpiresS: config.sipSessionExpiresS,
      maxCalls: config.sipMaxCalls,
      registrar,
      routing: this.routing,
      media: this.media,
      trunks: this.trunks,
      log,
      registry,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.#unsubscribe?.();
    this.#sweeper?.stop();
    await this.#server?.close();
    await this.#publisher?.close();
    this.#redis?.disconnect();
  }
}
