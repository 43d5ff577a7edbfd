import { createHmac } from 'node:crypto';

/** An RTCIceServer as a browser takes it (W3C WebRTC §4.2.1). */
export interface IceServer {
  readonly urls: readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** The TURN settings of the platform (PBX_TURN_*). */
export interface TurnSettings {
  readonly turnUrls?: readonly string[];
  readonly turnUsername?: string;
  readonly turnCredential?: string;
  readonly turnSecret?: string;
  readonly turnTtlS: number;
}

/** The user part of TURN REST usernames the platform issues (`<expiry>:pbx`). */
const TURN_REST_USER = 'pbx';

/**
 * The ICE servers a web phone is given: none without PBX_TURN_URLS (the platform's media ports
 * are reachable directly, and its ICE-lite legs need no STUN); the TURN URLs with the static
 * credentials; or, with a shared secret, credentials of the TURN REST scheme that coturn's
 * `use-auth-secret` checks (draft-uberti-behave-turn-rest-00): username `<unix expiry>:pbx`,
 * credential base64(HMAC-SHA1(secret, username)), valid for PBX_TURN_TTL_S.
 */
export function iceServersFor(settings: TurnSettings, now: Date = new Date()): IceServer[] {
  const urls = settings.turnUrls;
  if (urls === undefined || urls.length === 0) return [];
  if (settings.turnSecret !== undefined) {
    const expiry = Math.floor(now.getTime() / 1000) + settings.turnTtlS;
    const username = `${expiry}:${TURN_REST_USER}`;
    const credential = createHmac('sha1', settings.turnSecret).update(username).digest('base64');
    return [{ urls, username, credential }];
  }
  if (settings.turnUsername !== undefined && settings.turnCredential !== undefined) {
    return [{ urls, username: settings.turnUsername, credential: settings.turnCredential }];
  }
  // STUN URLs (or a TURN server that takes anyone) need no credential.
  return [{ urls }];
}
