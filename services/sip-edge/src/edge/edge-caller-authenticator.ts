import type { ParsedMessage, Peer, SipResponse } from '@pbx/sip';
import type { CallerAuthenticator, CallerCheck } from '../b2bua/b2bua.ports';
import type { DeviceCredentials } from '../directory/device-credentials';
import type { TrunkMatcher } from '../trunks/trunk-matcher';

export interface RequestAuthenticator {
  authenticateRequest(
    parsed: ParsedMessage,
    source: Peer,
    options: { readonly proxy: boolean },
  ): Promise<
    | { readonly ok: true; readonly device: DeviceCredentials }
    | { readonly ok: false; readonly response: SipResponse }
  >;
}

/**
 * Who places a new call: a carrier when the INVITE comes from a trunk's address (carriers do not
 * answer challenges), otherwise a device that must prove itself with digest (407).
 */
export class EdgeCallerAuthenticator implements CallerAuthenticator {
  constructor(
    private readonly devices: RequestAuthenticator,
    private readonly trunks: TrunkMatcher,
  ) {}

  async authenticate(parsed: ParsedMessage, source: Peer): Promise<CallerCheck> {
    const trunk = this.trunks.match(source);
    if (trunk !== undefined) {
      return {
        ok: true,
        origin: { kind: 'trunk', trunkId: trunk.trunkId, tenantId: trunk.tenantId },
      };
    }
    const outcome = await this.devices.authenticateRequest(parsed, source, { proxy: true });
    if (!outcome.ok) return outcome;
    const d = outcome.device;
    return {
      ok: true,
      origin: {
        kind: 'device',
        tenantId: d.tenantId,
        groupId: d.groupId,
        // Users are keyed by extension within their group.
        userId: d.ownerExtension,
        deviceId: d.deviceId,
      },
    };
  }
}
