import type { Dialog, ParsedMessage, Peer } from '@pbx/sip';
import type { B2buaContext } from './b2bua-context';

/**
 * Whether the INVITE's Allow lists `method` (RFC 3261 20.5; method names are case-sensitive).
 * SipHeaders splits the list and trims its elements.
 */
export function allows(headers: ParsedMessage['message']['headers'], method: string): boolean {
  return headers.getAll('Allow').includes(method);
}

export interface SessionRefreshRequest {
  readonly dialog: Dialog;
  readonly target: Peer;
  /** UPDATE without a body (RFC 3311), or re-INVITE offering `sdp` again. */
  readonly method: 'UPDATE' | 'INVITE';
  readonly sdp?: string;
  /** Session-Expires and friends (RFC 4028 section 7.4). */
  readonly headers: readonly (readonly [string, string])[];
}

export interface SessionRefreshOutcome {
  /** 2xx: the session is refreshed. */
  onRefreshed(response: ParsedMessage): void;
  /** 481, 408 or no response at all: the dialog is gone, the call must end (RFC 4028 10). */
  onDialogGone(): void;
  /** Any other failure (491, 5xx, unreachable): the dialog lives, try again later. */
  onFailed(status: number): void;
}

/**
 * Sends one session refresh the edge originates as the refresher (RFC 4028 section 10) and
 * classifies its outcome. A 2xx to a re-INVITE is ACKed here (RFC 3261 13.2.2.4).
 */
export function sendSessionRefresh(
  ctx: B2buaContext,
  refresh: SessionRefreshRequest,
  outcome: SessionRefreshOutcome,
): void {
  const { dialog, target } = refresh;
  const body = refresh.method === 'INVITE' ? refresh.sdp : undefined;
  const { request } = dialog.createRequest(refresh.method, {
    headers: [['Contact', `<${ctx.transport.contactUri(target.protocol)}>`], ...refresh.headers],
    body: body === undefined ? undefined : Buffer.from(body),
    contentType: body === undefined ? undefined : 'application/sdp',
  });
  const cseq = dialog.localSeq;
  const ack = (): void => {
    if (refresh.method !== 'INVITE') return;
    void ctx.layer.sendStateless(dialog.createAck(cseq), target).catch(() => undefined);
  };
  ctx.layer.sendRequest(request, target, {
    onFinal: (response) => {
      const status = response.message.kind === 'response' ? response.message.status : 500;
      if (status >= 200 && status < 300) {
        ack();
        outcome.onRefreshed(response);
      } else if (status === 481 || status === 408) {
        outcome.onDialogGone();
      } else {
        outcome.onFailed(status);
      }
    },
    on2xxRetransmission: ack,
    onTimeout: () => outcome.onDialogGone(),
    onTransportError: () => outcome.onFailed(503),
  });
}
