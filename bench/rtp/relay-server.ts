/**
 * Our relay in a process of its own for bench/rtp-relay.bench.ts (pinned to a core by the bench):
 * an RtpRelayMediaControl driven over the Node IPC channel.
 *
 *   argv: <port-min> <port-max>
 *   in:  { type: 'setup', calls, callerPort, calleePort } → out: { type: 'ready', ports: [callerDst, calleeDst][] }
 *   in:  { type: 'teardown' } → out: { type: 'torn-down' }
 */
import { RtpRelayMediaControl } from '@pbx/media';
import type { MediaSession } from '@pbx/telephony';
import { audioPortOf, inBatches, phoneSdp } from './phone-sdp';

type Command =
  { type: 'setup'; calls: number; callerPort: number; calleePort: number } | { type: 'teardown' };

const [start, end] = process.argv.slice(2).map(Number);
const control = new RtpRelayMediaControl({
  rtpPorts: { start, end },
  mediaHost: '127.0.0.1',
  mediaPublicIp: '127.0.0.1',
  rtpTimeoutS: 3_600,
});
let sessions: MediaSession[] = [];

async function setup(calls: number, callerPort: number, calleePort: number): Promise<number[][]> {
  const callerSdp = phoneSdp('caller', callerPort);
  const calleeSdp = phoneSdp('callee', calleePort);
  return inBatches(Array.from({ length: calls }), 64, async (_, i) => {
    const session = control.createSession(`bench-${i}`);
    sessions.push(session);
    const offer = await session.offer('caller', callerSdp);
    const answer = await session.answer('callee', calleeSdp);
    return [audioPortOf(answer), audioPortOf(offer)];
  });
}

function reply(message: object): void {
  process.send?.(message);
}

process.on('message', (command: Command) => {
  const run = async (): Promise<void> => {
    if (command.type === 'setup') {
      reply({
        type: 'ready',
        ports: await setup(command.calls, command.callerPort, command.calleePort),
      });
    } else {
      await Promise.all(sessions.map((session) => session.close()));
      sessions = [];
      reply({ type: 'torn-down', open: control.openSessions() });
    }
  };
  run().catch((error: unknown) => {
    reply({ type: 'error', message: String(error) });
  });
});
process.on('disconnect', () => process.exit(0));
// A normal exit, so that Node's exit hooks (e.g. --cpu-prof when profiling) run.
process.on('SIGTERM', () => process.exit(0));
reply({ type: 'started' });
