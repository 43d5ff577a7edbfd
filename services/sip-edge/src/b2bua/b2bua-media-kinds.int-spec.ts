import { EdgeHarness, ringUser } from '../../test/edge-harness';
import { WEBRTC_MARK } from '../../test/fake-media-control';
import { phoneSdp, statusOf } from '../../test/test-phone';
import { waitFor } from '../../test/wait-for';
import { mediaKindOf } from './media-kind';

jest.setTimeout(5000);

/** Issue 6: a fork to a browser gets a WebRTC offer, a fork to a desk phone plain RTP. */
describe('B2BUA offers per kind of contact', () => {
  let edge: EdgeHarness | undefined;

  afterEach(async () => {
    await edge?.close();
    edge = undefined;
  });

  it('tells the kind from the transport a contact registered over', () => {
    expect(mediaKindOf({ protocol: 'wss', address: '192.0.2.1', port: 1 })).toBe('webrtc');
    expect(mediaKindOf({ protocol: 'ws', address: '192.0.2.1', port: 1 })).toBe('webrtc');
    for (const protocol of ['udp', 'tcp', 'tls'] as const) {
      expect(mediaKindOf({ protocol, address: '192.0.2.1', port: 1 })).toBe('rtp');
    }
  });

  it('forks a desk phone and a browser with one offer each; the phone answers with early media, then the 200', async () => {
    edge = await EdgeHarness.start({ decide: () => ringUser(['bob']) });
    const alice = await edge.phone('alice');
    const desk = await edge.phone('desk', { as: 'bob' });
    // A browser's binding over a WebSocket connection that is gone: its fork fails, the desk rings.
    edge.registrar.bind('bob', 'sip:web@df7jal23ls0d.invalid;transport=ws', {
      protocol: 'ws',
      address: '127.0.0.1',
      port: 9,
      connectionId: 987654,
    });
    const call = alice.call(edge.peer, { to: '2002', sdp: phoneSdp() });
    const invite = await desk.takeRequest('INVITE');
    expect(invite.parsed.message.body.toString()).not.toContain(WEBRTC_MARK);
    const session = edge.media.sessions[0];
    expect(
      session.calls
        .filter((c) => c.op === 'offer')
        .map((c) => c.to)
        .sort(),
    ).toEqual(['rtp', 'webrtc']);
    desk.answer(invite, 183, { toTag: 'desk1', sdp: phoneSdp(6000) });
    await call.waitForStatus(183);
    desk.answer(invite, 200, { toTag: 'desk1', sdp: phoneSdp(6000) });
    expect(statusOf(await call.final())).toBe(200);
    await call.ack();
    const answers = session.calls.filter((c) => c.op === 'answer');
    expect(answers.map((c) => c.provisional)).toEqual([true, undefined]);
    await waitFor(() => (desk.received('ACK').length > 0 ? true : undefined), 'the desk’s ACK');
  });
});
