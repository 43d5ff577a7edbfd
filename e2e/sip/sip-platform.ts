import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import {
  createTestDatabase,
  eventually,
  freePort,
  freeUdpPort,
  sippMediaPort,
  startSipp,
  type PlatformProcess,
  type SippProcess,
  type SippResult,
  type TestDatabase,
  startPlatformProcess,
} from '@pbx/testing';

/** examples/acme.yaml as the API takes it. */
export const ACME = parse(
  readFileSync(join(__dirname, '..', '..', 'examples', 'acme.yaml'), 'utf8'),
) as Record<string, unknown>;

export const scenario = (name: string): string => join(__dirname, 'scenarios', name);

/** The sipp injection field that answers a digest challenge. */
export const sippAuth = (user: string, password: string): string =>
  `[authentication username=${user} password=${password}]`;

/** Registers `user@acme.example` at the edge `remote` (host:port) with sipp, binding `contactPort`. */
export async function sippRegister(
  remote: string,
  user: string,
  password: string,
  contactPort: number,
): Promise<SippResult> {
  return startSipp({
    scenario: scenario('register.xml'),
    remote,
    localPort: await freeUdpPort(),
    rows: [[user, 'acme.example', sippAuth(user, password), String(contactPort)]],
    calls: 1,
    timeoutS: 10,
    extraArgs: ['-auth_uri', 'acme.example'],
  }).done;
}

/**
 * A sipp phone answering one call at once (uas-answer.xml) on `localPort`, where it registered;
 * resolves once sipp has had time to bind the port, as a real phone listens before it registers.
 */
export async function sippAnsweringPhone(localPort: number, timeoutS = 20): Promise<SippProcess> {
  const phone = startSipp({
    scenario: scenario('uas-answer.xml'),
    localPort,
    mediaPort: await sippMediaPort(),
    calls: 1,
    timeoutS,
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return phone;
}

/**
 * An acme user's sipp phone calling `dialed` (uac-call.xml): INVITE with digest, RTP for
 * `talkMs`, then BYE. Resolves when sipp ends.
 */
export async function sippCall(call: {
  readonly remote: string;
  readonly from: string;
  readonly password: string;
  readonly dialed: string;
  readonly talkMs: number;
  readonly timeoutS?: number;
}): Promise<SippResult> {
  return startSipp({
    scenario: scenario('uac-call.xml'),
    remote: call.remote,
    localPort: await freeUdpPort(),
    mediaPort: await sippMediaPort(),
    rows: [[call.from, 'acme.example', sippAuth(call.from, call.password), call.dialed]],
    calls: 1,
    pauseMs: call.talkMs,
    timeoutS: call.timeoutS ?? 20,
    extraArgs: ['-auth_uri', `${call.dialed}@acme.example`],
  }).done;
}

/**
 * The environment of a process that runs the SIP edge and media on 127.0.0.1: SIP on `sipPort`,
 * a random RTP range of 200 ports clear of sipp's and baresip's ports.
 */
export function sipNodeEnvironment(sipPort: number): Record<string, string> {
  const rtpBase = 40_000 + 2 * randomInt(0, 3_900);
  return {
    PBX_SIP_PORT: String(sipPort),
    PBX_SIP_HOST: '127.0.0.1',
    PBX_MEDIA_HOST: '127.0.0.1',
    PBX_RTP_PORTS: `${rtpBase}-${rtpBase + 199}`,
  };
}

/** The standalone platform of a SIP end-to-end suite, on its own database and ports. */
export interface SipPlatform {
  readonly platform: PlatformProcess;
  readonly database: TestDatabase;
  readonly sipPort: number;
  /** host:port of the SIP edge. */
  readonly remote: string;
  /** Registers `user@acme.example` with sipp, binding `contactPort`. */
  register(user: string, password: string, contactPort: number): Promise<SippResult>;
  /** The edge's per-call log lines (`call ended`, with RTP packet counts). */
  endedCalls(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * Starts the built standalone platform with a fresh database, SIP on a free port
 * (sipNodeEnvironment), and `documents` (acme.yaml by default) applied.
 */
export async function startSipPlatform(options: {
  readonly token: string;
  readonly documents?: readonly unknown[];
  /** PBX_SIP_DIGEST_ALGORITHMS; the platform's default when unset. */
  readonly digestAlgorithms?: string;
  /** More of the platform's environment. */
  readonly env?: Readonly<Record<string, string>>;
}): Promise<SipPlatform> {
  const database = await createTestDatabase();
  const sipPort = await freePort();
  const platform = await startPlatformProcess('standalone', {
    DATABASE_URL: database.url,
    PBX_OPERATOR_TOKEN: options.token,
    ...sipNodeEnvironment(sipPort),
    PBX_SIP_DIGEST_ALGORITHMS: options.digestAlgorithms,
    ...options.env,
  });
  const stop = async (): Promise<void> => {
    await platform.stop();
    await database.drop();
  };
  try {
    await platform.waitForReady(60_000);
    const applied = await platform.post(
      '/api/v1/apply',
      { documents: options.documents ?? [ACME] },
      options.token,
    );
    if (applied.status !== 200) {
      throw new Error(`apply answered ${applied.status}: ${JSON.stringify(applied.body)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const remote = `127.0.0.1:${sipPort}`;
  return {
    platform,
    database,
    sipPort,
    remote,
    register: (user, password, contactPort) => sippRegister(remote, user, password, contactPort),
    endedCalls: () => platform.logs().filter((l) => l.msg === 'call ended'),
    stop,
  };
}

/**
 * Waits until a process's device directories hold acme's four devices: the SIP edge's, and the
 * routing service's when `routing` (a telephony node learns both from the bus). By their tables,
 * not by registering: each refused REGISTER would count towards the authentication throttle.
 */
export async function acmeDevicesKnown(
  databaseUrl: string,
  options: { readonly routing: boolean; readonly timeoutMs: number },
): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await eventually(
      async () => {
        const { rows } = await db.query<{ edge: number; routing: number }>(
          `SELECT (SELECT count(*)::int FROM sip_edge_devices WHERE domain = 'acme.example') AS edge,
                  CASE WHEN $1 THEN (SELECT count(*)::int FROM routing_devices) ELSE 4 END AS routing`,
          [options.routing],
        );
        return rows[0].edge >= 4 && rows[0].routing >= 4 ? true : undefined;
      },
      options.timeoutMs,
      `acme's devices in the ${options.routing ? "edge's and routing's directories" : "edge's directory"}`,
    );
  } finally {
    await db.end();
  }
}
