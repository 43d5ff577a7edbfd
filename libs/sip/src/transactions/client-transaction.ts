import type { ParsedMessage } from '../messages/parse-message';
import type { SipRequest } from '../messages/sip-message';

/** What the transaction user hears from a client transaction (RFC 3261 17.1). */
export interface ClientTransactionListener {
  /** A 1xx response. */
  onProvisional?(response: ParsedMessage): void;
  /** The first final response; for a non-2xx INVITE final the ACK is already sent (17.1.1.3). */
  onFinal(response: ParsedMessage): void;
  /**
   * A further 2xx to an INVITE while the transaction is Accepted (RFC 6026 7.2): a
   * retransmission the UAC core must ACK again (13.2.2.4), or the 2xx of another fork (compare
   * its To tag with the one of onFinal).
   */
  on2xxRetransmission?(response: ParsedMessage): void;
  /** Timer B or F fired, or a CANCEL got no final response within 64*T1 (9.1). */
  onTimeout(): void;
  /** The transport could not send the request; the transaction is terminated (17.1.4). */
  onTransportError(error: Error): void;
}

export interface ClientTransaction {
  /** The branch of our Via, the transaction's identity (17.1.3). */
  readonly branch: string;
  /** The request as sent, with our Via on top. */
  readonly request: SipRequest;
  /**
   * Cancels a pending INVITE (RFC 3261 9.1): the CANCEL goes out once a provisional response
   * has arrived (at once if one already has); no-op once a final response has arrived or after
   * an earlier cancel(). `headers` are added to the CANCEL (e.g. Reason, RFC 3326). Throws
   * TransactionError(InvalidRequest) on a non-INVITE transaction.
   */
  cancel(headers?: readonly (readonly [string, string])[]): void;
}

/** The client transaction state machines as the layer drives them. */
export interface ClientTransactionMachine extends ClientTransaction {
  readonly state: string;
  start(): void;
  receiveResponse(response: ParsedMessage): void;
  /** Stops every timer without telling the transaction user (layer close). */
  dispose(): void;
}
