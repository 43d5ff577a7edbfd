import type { IssueOptions, IssuedToken, Principal } from '@pbx/platform';
import type { AuthThrottle } from '../auth/auth-throttle';
import { aorOf, type DeviceCredentials, type DeviceKey } from '../directory/device-credentials';
import { isDevicePassword } from './device-password';
import { PhoneSessionError, PhoneSessionErrorCode } from './phone-session.error';
import type { SourceRateLimit } from './source-rate-limit';

/** The directory read the session needs: fresh, so a changed password counts at once. */
export interface DeviceLookup {
  findUncached(key: DeviceKey): Promise<DeviceCredentials | undefined>;
}

/** ApiTokenStore, narrowed to what issuing a session needs. */
export interface SessionTokenIssuer {
  issue(
    principal: Principal,
    label: string,
    ttlSeconds?: number,
    options?: IssueOptions,
  ): Promise<IssuedToken>;
}

export interface StartPhoneSessionDeps {
  readonly devices: DeviceLookup;
  readonly tokens: SessionTokenIssuer;
  /** Failures per source and per device, shared with nothing else (the SIP edge has its own). */
  readonly throttle: AuthThrottle;
  /** Requests per source, successes included. */
  readonly rateLimit: SourceRateLimit;
  readonly ttlSeconds: number;
}

export interface PhoneSessionRequest {
  /** `username@domain`, as the device registers. */
  readonly username: string;
  readonly password: string;
  /** The client's address (throttling key). */
  readonly source: string;
}

export interface PhoneSession {
  readonly token: string;
  readonly expiresAt: Date;
  readonly principal: Extract<Principal, { role: 'user' }>;
  readonly device: { readonly username: string; readonly domain: string };
}

const refused = (): PhoneSessionError =>
  new PhoneSessionError(PhoneSessionErrorCode.InvalidCredentials, 'wrong username or password');

const tooMany = (): PhoneSessionError =>
  new PhoneSessionError(
    PhoneSessionErrorCode.TooManyAttempts,
    'too many sign-in attempts from this address or for this device; try again in a few minutes',
  );

/**
 * The web phone's sign-in (issue 6): a device's SIP credentials, checked against the same
 * directory the registrar uses, give a short-lived, read-only token of the device's user, so
 * that the page can show the user's call log (U1) and nothing it could change. Unknown devices
 * and wrong passwords are refused alike; failures are throttled as on REGISTER.
 */
export class StartPhoneSession {
  constructor(private readonly deps: StartPhoneSessionDeps) {
    if (!Number.isSafeInteger(deps.ttlSeconds) || deps.ttlSeconds < 60) {
      throw new RangeError(`ttlSeconds must be at least 60, got ${deps.ttlSeconds}`);
    }
  }

  async execute(request: PhoneSessionRequest): Promise<PhoneSession> {
    const { throttle, rateLimit } = this.deps;
    if (!rateLimit.take(request.source)) throw tooMany();
    const at = request.username.lastIndexOf('@');
    const username = request.username.slice(0, at);
    const domain = request.username.slice(at + 1).toLowerCase();
    const user = at > 0 ? aorOf(username, domain) : undefined;
    if (throttle.check(request.source, user).throttled) throw tooMany();
    const device =
      user === undefined ? undefined : await this.deps.devices.findUncached({ domain, username });
    // Hashed even for an unknown device: the time taken does not tell which names exist.
    if (!isDevicePassword(device, request.password) || device === undefined) {
      throttle.recordFailure(request.source, user, device ? 'wrong-password' : 'unknown-user');
      throw refused();
    }
    throttle.recordSuccess(aorOf(device.username, device.domain));
    const principal = {
      role: 'user',
      tenantId: device.tenantId,
      groupId: device.groupId,
      userId: device.ownerExtension,
    } as const;
    const issued = await this.deps.tokens.issue(
      principal,
      `web phone ${aorOf(device.username, device.domain)}`,
      this.deps.ttlSeconds,
      { readOnly: true },
    );
    if (issued.expiresAt === undefined) throw new TypeError('a session token must expire');
    return {
      token: issued.token,
      expiresAt: issued.expiresAt,
      principal,
      device: { username: device.username, domain: device.domain },
    };
  }
}
