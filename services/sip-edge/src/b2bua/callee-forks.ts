/**
 * Where the callee's leg goes: one INVITE per registered contact of the callee's devices
 * (forking, RFC 3261 16.6 done by a UAC core) or one to the trunk, each with the caller
 * presented as the callee's side should see it (RFC 3325 for a trusted trunk).
 */
import type { CalleeTarget, RouteDecision } from '@pbx/telephony';
import type { B2buaContext } from './b2bua-context';
import { ALLOW } from './call-messages';
import type { OutboundInviteParams } from './outbound-invite';
import { presentFrom, quoteDisplayName } from './presentation';

/** The INVITEs (without SDP) that ring `callee`; none when it has no registered contact. */
export async function calleeForks(
  ctx: B2buaContext,
  callee: CalleeTarget,
  decision: Extract<RouteDecision, { kind: 'connect' }>,
): Promise<OutboundInviteParams[]> {
  const host = ctx.settings.publicHost;
  // No `Supported: timer` on the callee's leg: the edge never refreshes that leg, and a callee
  // told the UAC supports timers may make it the refresher (RFC 4028 section 9) and end the
  // call when no refresh comes. Without it, a callee wanting a timer refreshes itself.
  const sessionHeaders: [string, string][] = [['Allow', ALLOW]];
  if (callee.kind === 'trunk') {
    const t = callee.trunk;
    const presented = presentFrom(decision.caller, host, { trusted: true });
    const transport = t.transport === 'udp' ? '' : `;transport=${t.transport}`;
    const uri = `sip:${callee.number}@${t.host}:${t.port}${transport}`;
    return [
      {
        requestUri: uri,
        to: `<${uri}>`,
        from: presented.from,
        headers: [...presented.headers, ...sessionHeaders],
        target: { protocol: t.transport, address: t.host, port: t.port },
        credentials:
          t.username !== undefined && t.password !== undefined
            ? { username: t.username, password: t.password }
            : undefined,
      },
    ];
  }
  const contacts = await ctx.contacts.contacts(callee.devices);
  const byDevice = new Map(callee.devices.map((d) => [d.deviceId, d]));
  return contacts.map((c) => {
    const device = byDevice.get(c.deviceId);
    const to = device ? `<sip:${device.sipUser}@${device.domain}>` : `<${c.uri}>`;
    // A colleague calling shows as `201@<the group's SIP domain>`, the domain the callee's
    // phone itself registers in, rather than the edge's own address.
    const presented = presentFrom(decision.caller, device?.domain ?? host, { trusted: false });
    return {
      requestUri: c.uri,
      to: callee.displayName !== '' ? `${quoteDisplayName(callee.displayName)} ${to}` : to,
      from: presented.from,
      headers: [...presented.headers, ...sessionHeaders],
      target: c.flow,
      deviceId: c.deviceId,
    };
  });
}
