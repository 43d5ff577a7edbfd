import { parseTelephoneEvent, writeTelephoneEvent } from '@pbx/rtp';
import { MediaErrorCode, type MediaSession } from '@pbx/telephony';
import {
  FakePhone,
  TestSocket,
  randomPortBase,
  receiverReport,
  relayPortsOf,
} from './fake-phone.spec-helper';
import { RtpRelayMediaControl } from './rtp-relay-media-control';
import type { RelaySettings } from './relay-settings';

const base = randomPortBase();

function settings(overrides: Partial<RelaySettings> = {}): RelaySettings {
  return {
    rtpPorts: { start: base, end: base + 19 },
    mediaHost: '127.0.0.1',
    mediaPublicIp: '127.0.0.1',
    rtpTimeoutS: 60,
    ...overrides,
  };
}

interface Call {
  readonly session: MediaSession;
  /** Where the caller sends (the answer it got) and where the callee sends (the offer it got). */
  readonly callerFacing: { rtp: number; rtcp: number };
  readonly calleeFacing: { rtp: number; rtcp: number };
}

async function connect(
  control: RtpRelayMediaControl,
  caller: FakePhone,
  callee: FakePhone,
  callerSdp = caller.sdp(),
): Promise<Call> {
  const session = control.createSession('call-1');
  const offer = await session.offer('caller', callerSdp);
  const answer = await session.answer('callee', callee.sdp());
  return { session, calleeFacing: relayPortsOf(offer), callerFacing: relayPortsOf(answer) };
}

describe(RtpRelayMediaControl.name, () => {
  let control: RtpRelayMediaControl;
  let caller: FakePhone;
  let callee: FakePhone;
  const extra: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    caller = await FakePhone.open();
    callee = await FakePhone.open();
  });

  afterEach(async () => {
    await control.closeAll();
    await Promise.all([caller.close(), callee.close(), ...extra.splice(0).map((s) => s.close())]);
  });

  it('relays RTP both ways through ports from PBX_RTP_PORTS, and counts it', async () => {
    control = new RtpRelayMediaControl(settings());
    const call = await connect(control, caller, callee);
    for (const port of [call.callerFacing.rtp, call.calleeFacing.rtp]) {
      expect(port).toBeGreaterThanOrEqual(base);
      expect(port).toBeLessThanOrEqual(base + 19);
      expect(port % 2).toBe(0);
    }
    caller.rtp.send(caller.audio(1), call.callerFacing.rtp);
    const [toCallee] = await callee.rtp.waitFor(1);
    expect(toCallee.packet[12]).toBe(1);
    expect(toCallee.from).toBe(call.calleeFacing.rtp); // from the port in the callee's SDP
    callee.rtp.send(callee.audio(2), call.calleeFacing.rtp);
    callee.rtp.send(callee.audio(3), call.calleeFacing.rtp);
    const received = await caller.rtp.waitFor(2);
    expect(received.map((r) => r.packet[12])).toEqual([2, 3]);
    expect(call.session.stats()).toEqual({
      fromCaller: { packets: 1, bytes: 172 },
      fromCallee: { packets: 2, bytes: 344 },
    });
    expect(control.status()).toMatchObject({ sessionsOpen: 1, portPairsInUse: 2 });
  });

  it('latches to the source a NATed phone really sends from, not the port in its SDP', async () => {
    control = new RtpRelayMediaControl(settings());
    const natted = await TestSocket.open();
    extra.push(natted);
    // The SDP names the phone's RTP socket; its NAT sends from another port.
    const call = await connect(control, caller, callee);
    callee.rtp.send(callee.audio(7), call.calleeFacing.rtp);
    expect((await caller.rtp.waitFor(1))[0].packet[12]).toBe(7); // before latching: the SDP port
    natted.send(caller.audio(1), call.callerFacing.rtp);
    await callee.rtp.waitFor(1);
    callee.rtp.send(callee.audio(8), call.calleeFacing.rtp);
    expect((await natted.waitFor(1))[0].packet[12]).toBe(8);
    expect(await caller.rtp.countDuring(100)).toBe(0);
  });

  it('drops packets from a third source once latched, and counts them', async () => {
    control = new RtpRelayMediaControl(settings());
    const intruder = await TestSocket.open();
    extra.push(intruder);
    const call = await connect(control, caller, callee);
    caller.rtp.send(caller.audio(1), call.callerFacing.rtp);
    await callee.rtp.waitFor(1);
    intruder.send(caller.audio(66), call.callerFacing.rtp);
    intruder.send(caller.audio(66), call.callerFacing.rtp);
    caller.rtp.send(caller.audio(2), call.callerFacing.rtp);
    const received = await callee.rtp.waitFor(2);
    expect(await callee.rtp.countDuring(100)).toBe(0);
    expect(received.map((r) => r.packet[12])).toEqual([1, 2]);
    expect(control.status().counters.droppedByLatching).toBe(2);
  });

  it('re-latches to a new source after the latched one was silent for more than 2 s', async () => {
    let now = 1_000_000;
    control = new RtpRelayMediaControl(settings(), { clock: () => now });
    const roamed = await TestSocket.open();
    extra.push(roamed);
    const call = await connect(control, caller, callee);
    caller.rtp.send(caller.audio(1), call.callerFacing.rtp);
    await callee.rtp.waitFor(1);
    now += 1_500;
    roamed.send(caller.audio(2), call.callerFacing.rtp);
    expect(await callee.rtp.countDuring(100)).toBe(0);
    now += 1_000; // 2.5 s since the latched source spoke
    roamed.send(caller.audio(3), call.callerFacing.rtp);
    expect((await callee.rtp.waitFor(2))[1].packet[12]).toBe(3);
  });

  it('relays RTCP between the odd ports, to the a=rtcp port of each side', async () => {
    control = new RtpRelayMediaControl(settings());
    const call = await connect(control, caller, callee);
    expect(call.callerFacing.rtcp).toBe(call.callerFacing.rtp + 1);
    caller.rtcp.send(receiverReport(0xaa), call.callerFacing.rtcp);
    const [report] = await callee.rtcp.waitFor(1);
    expect(report.packet.readUInt32BE(4)).toBe(0xaa);
    expect(report.from).toBe(call.calleeFacing.rtcp);
    callee.rtcp.send(receiverReport(0xbb), call.calleeFacing.rtcp);
    expect((await caller.rtcp.waitFor(1))[0].packet.readUInt32BE(4)).toBe(0xbb);
    // RTP on an RTCP port and RTCP on an RTP port are not relayed.
    caller.rtcp.send(caller.audio(1), call.callerFacing.rtcp);
    caller.rtp.send(receiverReport(0xcc), call.callerFacing.rtp);
    expect(await callee.rtp.countDuring(100)).toBe(0);
    expect(control.status().counters.droppedInvalid).toBe(2);
  });

  it('relays RFC 4733 telephone-events unchanged', async () => {
    control = new RtpRelayMediaControl(settings());
    const call = await connect(control, caller, callee);
    const event = caller.audio(0, 101).subarray(0, 16);
    writeTelephoneEvent(event, 12, { event: 5, end: true, volume: 10, duration: 800 });
    caller.rtp.send(event, call.callerFacing.rtp);
    const [received] = await callee.rtp.waitFor(1);
    expect(received.packet[1] & 0x7f).toBe(101);
    expect(parseTelephoneEvent(received.packet, 12)).toEqual({
      event: 5,
      end: true,
      volume: 10,
      duration: 800,
    });
  });

  it('ends a call whose media went silent, once, and gives its ports back', async () => {
    control = new RtpRelayMediaControl(settings({ rtpTimeoutS: 1 }));
    const call = await connect(control, caller, callee);
    const reasons: string[] = [];
    const ended = new Promise<void>((resolve) =>
      call.session.onEnded((reason) => {
        reasons.push(reason);
        resolve();
      }),
    );
    caller.rtp.send(caller.audio(1), call.callerFacing.rtp);
    await ended;
    await call.session.close();
    expect(reasons).toEqual(['rtp-timeout']);
    expect(control.status()).toMatchObject({ sessionsOpen: 0, portPairsInUse: 0 });
    expect(control.status().counters.rtpTimeouts).toBe(1);
    await expect(call.session.offer('caller', caller.sdp())).rejects.toMatchObject({
      code: MediaErrorCode.Closed,
    });
  });

  it('does not time out a call on hold, nor one not yet answered', async () => {
    let now = 0;
    control = new RtpRelayMediaControl(settings({ rtpTimeoutS: 5 }), { clock: () => now });
    const held = await connect(control, caller, callee, caller.sdp('sendonly'));
    const ringing = control.createSession('call-2');
    await ringing.offer('caller', caller.sdp());
    const ended: string[] = [];
    held.session.onEnded(() => ended.push('held'));
    ringing.onEnded(() => ended.push('ringing'));
    now += 60_000;
    control.sweep();
    expect(ended).toEqual([]);
    // Off hold: the timeout counts again from the new answer.
    await held.session.offer('caller', caller.sdp('sendrecv'));
    await held.session.answer('callee', callee.sdp());
    now += 4_000;
    control.sweep();
    expect(ended).toEqual([]);
    now += 1_000;
    control.sweep();
    expect(ended).toEqual(['held']);
  });

  it('takes the callee-facing pair on the offer and the caller-facing pair on the answer; close gives both back', async () => {
    control = new RtpRelayMediaControl(settings());
    const session = control.createSession('call-1');
    await session.offer('caller', caller.sdp());
    expect(control.status().portPairsInUse).toBe(1);
    await session.answer('callee', callee.sdp());
    expect(control.status().portPairsInUse).toBe(2);
    await Promise.all([session.close(), session.close()]);
    await session.close();
    expect(control.status()).toMatchObject({ sessionsOpen: 0, portPairsInUse: 0 });
    await expect(session.answer('callee', callee.sdp())).rejects.toMatchObject({
      code: MediaErrorCode.Closed,
    });
  });

  it('refuses bad SDP without taking a port, and an answer with no offer pending', async () => {
    control = new RtpRelayMediaControl(settings());
    const session = control.createSession('call-1');
    await expect(session.offer('caller', 'v=0\r\nbogus\r\n')).rejects.toMatchObject({
      code: MediaErrorCode.BadSdp,
    });
    await expect(session.answer('callee', callee.sdp())).rejects.toMatchObject({
      code: MediaErrorCode.BadSdp,
    });
    expect(control.status().portPairsInUse).toBe(0);
  });

  it('throws NoPorts when PBX_RTP_PORTS is exhausted, and serves again once a call ends', async () => {
    control = new RtpRelayMediaControl(settings({ rtpPorts: { start: base, end: base + 3 } }));
    const first = await connect(control, caller, callee);
    const second = control.createSession('call-2');
    await expect(second.offer('caller', caller.sdp())).rejects.toMatchObject({
      code: MediaErrorCode.NoPorts,
    });
    await first.session.close();
    await expect(second.offer('caller', caller.sdp())).resolves.toContain('m=audio');
  });
});
