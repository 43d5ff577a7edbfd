import type { CallEndCause } from '@pbx/telephony';

/** The cause a call record states for a final SIP status that ended it before answer. */
export function causeOfStatus(status: number): CallEndCause {
  switch (status) {
    case 486:
    case 600:
      return 'busy';
    case 404:
    case 484:
    case 604:
      return 'not-found';
    case 403:
      return 'forbidden';
    case 480:
    case 408:
      return 'no-answer';
    case 603:
      return 'declined';
    case 487:
      return 'cancelled';
    default:
      return status >= 500 ? 'failed' : 'unavailable';
  }
}

/**
 * A challenge on the callee's leg (401, 407) asked for the edge's credentials, which the caller
 * neither has nor may be asked for (RFC 3261 22.3: credentials are per hop): never relayed.
 */
function isChallenge(status: number): boolean {
  return status === 401 || status === 407;
}

/**
 * The one final response to give the caller when every fork failed (after RFC 3261 16.7 step 6):
 * a 6xx wins; then busy (486/600) over the rest, since "busy" is what the user must hear; then
 * the lowest 4xx but a challenge; 408 and 5xx only when nothing better came (an unanswered
 * challenge counts as a 5xx: the edge could not place the call); none at all means 480.
 */
export function bestFinalStatus(statuses: readonly number[]): number {
  if (statuses.length === 0) return 480;
  const global = statuses.find((s) => s >= 600);
  if (global !== undefined) return global;
  if (statuses.includes(486)) return 486;
  const client = statuses.filter(
    (s) => s >= 400 && s < 500 && s !== 408 && s !== 487 && !isChallenge(s),
  );
  if (client.length > 0) return Math.min(...client);
  if (statuses.includes(487)) return 487;
  if (statuses.includes(408)) return 480;
  return 503;
}
