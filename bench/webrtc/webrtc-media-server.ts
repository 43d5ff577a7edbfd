/**
 * The media service in a process of its own for bench/webrtc-bridge.bench.ts (pinned to a core
 * by the bench): an RtpRelayMediaControl bridging WebRTC legs to plain RTP, driven over IPC.
 *
 *   argv: <port-min> <port-max>
 *   in:  { type: 'connect', offers: [browserSdp, phoneSdp][] } → out: { type: 'connected', answers: [browserAnswer, phoneOffer][] }
 *   in:  { type: 'status' } → out: { type: 'status', status }
 *   in:  { type: 'teardown' } → out: { type: 'torn-down' }
 */
import { RtpRelayMediaControl } from '@pbx/media';
import type { MediaSession } from '@pbx/telephony';
import { inBatches } from '../rtp/phone-sdp';

type Command =
  { type: 'connect'; offers: [string, string][] } | { type: 'status' } | { type: 'teardown' };

const [start, end] = process.argv.slice(2).map(Number);
const control = new RtpRelayMediaControl({
  rtpPorts: { start, end },
  mediaHost: '127.0.0.1',
  mediaPublicIp: '127.0.0.1',
  rtpTimeoutS: 3_600,
  webrtcCandidates: ['127.0.0.1'],
});
let sessions: MediaSession[] = [];

/** A browser calls a phone: its offer to the phone, the phone's answer back to the browser. */
async function connect(offers: [string, string][]): Promise<[string, string][]> {
  return inBatches(offers, 32, async ([browserSdp, phoneSdp], i) => {
    const session = control.createSession(`bench-${sessions.length + i}`);
    sessions.push(session);
    const toPhone = await session.offer('caller', browserSdp, { to: 'rtp' });
    const toBrowser = await session.answer('callee', phoneSdp);
    return [toBrowser, toPhone];
  });
}

function reply(message: object): void {
  process.send?.(message);
}

process.on('message', (command: Command) => {
  const run = async (): Promise<void> => {
    if (command.type === 'connect') {
      reply({ type: 'connected', answers: await connect(command.offers) });
    } else if (command.type === 'status') {
      reply({ type: 'status', status: control.status() });
    } else {
      await Promise.all(sessions.map((session) => session.close()));
      sessions = [];
      reply({ type: 'torn-down' });
    }
  };
  run().catch((error: unknown) => reply({ type: 'error', message: String(error) }));
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
reply({ type: 'started' });
