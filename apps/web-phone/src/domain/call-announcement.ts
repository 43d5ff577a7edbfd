import type { Call } from './phone-state';

/**
 * What a screen reader should hear when the call changes: the call panel's heading and buttons
 * change silently, and focus moves only at a few steps. How a call ended is the notice's job.
 */
export function callAnnouncement(before: Call, after: Call): string | undefined {
  if (after.kind === 'idle' || after.kind === 'ending') return undefined;
  const fresh = before.kind === 'idle' || before.id !== after.id;
  switch (after.kind) {
    case 'incoming':
      return fresh ? `Incoming call from ${after.remote}` : undefined;
    case 'outgoing':
      if (fresh) return `Calling ${after.remote}`;
      return before.kind === 'outgoing' && !before.ringing && after.ringing
        ? `${after.remote} is ringing`
        : undefined;
    case 'answering':
      return before.kind === 'answering' ? undefined : `Answering ${after.remote}`;
    case 'active':
      if (before.kind !== 'active') return `Connected to ${after.remote}`;
      if (before.held !== after.held) return after.held ? 'Call on hold' : 'Call resumed';
      if (before.muted !== after.muted) return after.muted ? 'Microphone muted' : 'Microphone on';
      return undefined;
    default:
      return assertNeverCall(after);
  }
}

function assertNeverCall(value: never): never {
  throw new TypeError(`unexpected call ${JSON.stringify(value)}`);
}
