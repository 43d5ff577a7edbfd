import type { SipRequest, SipResponse } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import { TransactionError, TransactionErrorCode } from './transaction.error';
import type { TransactionEnvironment } from './transaction-environment';

/** The server transaction state machines as the layer drives them. */
export interface ServerTransactionMachine {
  readonly state: string;
  readonly request: SipRequest;
  /** Where responses go (RFC 3261 18.2.2, RFC 3581 4). */
  readonly target: Peer;
  /** The last response sent; null before the first. */
  readonly lastResponse: SipResponse | null;
  /** True until a final response was sent. */
  readonly pending: boolean;
  /** Starts the timers that run before any response (17.2.1 100 Trying, the unanswered guard). */
  start(): void;
  /** Sends a response from the TU; throws TransactionError when it cannot be sent. */
  respond(response: SipResponse): void;
  /** The request arrived again (17.2.3 match): absorb it, replaying the last response. */
  receiveRetransmission(): void;
  /** Stops every timer without further sends (layer close). */
  dispose(): void;
}

export interface ServerTransactionInit {
  readonly env: TransactionEnvironment;
  readonly request: SipRequest;
  readonly target: Peer;
  readonly onTerminated: () => void;
  /**
   * Non-INVITE over an unreliable transport: sends the final response and keeps its bytes for
   * retransmitted requests in the machine's place (RetainedResponses), so the machine ends at
   * once instead of waiting out Timer J. Unset, the machine stays Completed for Timer J itself.
   */
  readonly retain?: (response: SipResponse) => void;
}

export function assertResponseStatus(response: SipResponse): void {
  if (!Number.isInteger(response.status) || response.status < 100 || response.status > 699) {
    throw new TransactionError(
      TransactionErrorCode.InvalidResponse,
      `status ${response.status} is outside 100-699`,
    );
  }
}

export function alreadyAnswered(request: SipRequest, state: string): TransactionError {
  return new TransactionError(
    TransactionErrorCode.AlreadyAnswered,
    `the ${request.method} was already answered with a final response or its transaction ended (state ${state})`,
    { method: request.method, state },
  );
}

/** Sends a server response; a failure is reported (17.2.4) and, for a final one, `onFinalFailure`. */
export function sendResponse(
  env: TransactionEnvironment,
  response: SipResponse,
  target: Peer,
  onFinalFailure: () => void,
): void {
  env.send(response, target).catch((e: unknown) => {
    env.reportError(e);
    if (response.status >= 200) onFinalFailure();
  });
}
