import {
  buildRequest,
  buildResponse,
  Dialog,
  randomToken,
  SipTransportLayer,
  TransactionLayer,
  type ClientTransaction,
  type InboundMessage,
  type ParsedMessage,
  type Peer,
  type ServerRequest,
  type SipRequest,
  type SipTransport,
} from '@pbx/sip';
import { waitFor } from './wait-for';

/** An SDP offer or answer of a test phone: one G.711 audio stream. */
export function phoneSdp(
  port = 4000,
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' = 'sendrecv',
): string {
  return [
    'v=0',
    `o=- ${port} 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8`,
    'a=rtpmap:0 PCMU/8000',
    `a=${direction}`,
    '',
  ].join('\r\n');
}

export function statusOf(m: ParsedMessage): number {
  return m.message.kind === 'response' ? m.message.status : 0;
}

export function bodyText(m: ParsedMessage | ServerRequest): string {
  const message = 'message' in m ? m.message : m.request;
  return message.body.toString('utf8');
}

/** A SIP transport that keeps every message it received (CANCEL never reaches the TU). */
class RecordingTransport implements SipTransport {
  readonly inbound: ParsedMessage[] = [];

  constructor(readonly inner: SipTransportLayer) {}

  onMessage(handler: (inbound: InboundMessage) => void): void {
    this.inner.onMessage((m) => {
      this.inbound.push(m.parsed);
      handler(m);
    });
  }

  send: SipTransport['send'] = (message, target) => this.inner.send(message, target);
  sendSerialized: SipTransport['sendSerialized'] = (data, target) =>
    this.inner.sendSerialized(data, target);
  via: SipTransport['via'] = (protocol) => this.inner.via(protocol);
  contactUri: SipTransport['contactUri'] = (protocol, user) =>
    this.inner.contactUri(protocol, user);
  isReliable: SipTransport['isReliable'] = (protocol) => this.inner.isReliable(protocol);
}

export interface InviteOptions {
  /** The dialed user, the Request-URI's user part. */
  readonly to: string;
  readonly sdp?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

/** The caller's side of one INVITE sent through the edge. */
export class OutgoingCall {
  readonly responses: ParsedMessage[] = [];
  #final: ParsedMessage | undefined;
  #error: string | undefined;
  dialog: Dialog | undefined;
  tx!: ClientTransaction;

  constructor(
    private readonly phone: TestPhone,
    readonly request: SipRequest,
    readonly target: Peer,
  ) {}

  /** Sends the INVITE. */
  start(): this {
    this.tx = this.phone.layer.sendRequest(this.request, this.target, {
      onProvisional: (r) => this.responses.push(r),
      onFinal: (r) => {
        this.responses.push(r);
        this.#final = r;
      },
      on2xxRetransmission: () => this.#reAck(),
      onTimeout: () => (this.#error = 'timeout'),
      onTransportError: (e) => (this.#error = e.message),
    });
    return this;
  }

  /** The statuses received so far, 1xx included. */
  statuses(): number[] {
    return this.responses.map(statusOf);
  }

  /** Waits for the first response with `status`. */
  waitForStatus(status: number, ms = 3000): Promise<ParsedMessage> {
    return waitFor(
      () => this.responses.find((r) => statusOf(r) === status),
      `${status} to the INVITE (have ${this.statuses().join(', ')}${this.#error ?? ''})`,
      ms,
    );
  }

  final(ms = 3000): Promise<ParsedMessage> {
    return waitFor(() => this.#final, `a final response (have ${this.statuses().join(', ')})`, ms);
  }

  #ack: SipRequest | undefined;

  /** ACKs the 2xx (RFC 3261 13.2.2.4), with `sdp` for a late offer; returns the dialog. */
  async ack(sdp?: string): Promise<Dialog> {
    const ok = await this.waitForStatus(200);
    const dialog = Dialog.asUac(this.request, ok);
    this.dialog = dialog;
    const cseq = Number.parseInt(this.request.headers.get('CSeq') ?? '', 10);
    const ack = dialog.createAck(cseq, sdp === undefined ? {} : { body: Buffer.from(sdp) });
    this.#ack = this.phone.layer.addVia(ack, this.target.protocol);
    await this.phone.layer.sendStateless(this.#ack, this.target);
    return dialog;
  }

  #reAck(): void {
    if (this.#ack)
      void this.phone.layer.sendStateless(this.#ack, this.target).catch(() => undefined);
  }
}

/** A SIP phone built from @pbx/sip itself, on 127.0.0.1 UDP with short transaction timers. */
export class TestPhone {
  readonly requests: ServerRequest[] = [];
  readonly #taken = new Set<ServerRequest>();
  /** The To tag each INVITE was answered with, so a 487 after CANCEL uses the same one. */
  readonly #tags = new Map<ServerRequest, string>();
  /** Responses the phone sent by itself (487 after CANCEL, 200 to BYE). */
  readonly autoAnswered: string[] = [];
  /** Answer 487 to a cancelled INVITE by itself; off to let a test race a 200 against it. */
  autoCancel = true;

  private constructor(
    readonly name: string,
    readonly transport: SipTransportLayer,
    private readonly recorder: RecordingTransport,
    readonly layer: TransactionLayer,
  ) {
    layer.onRequest((request) => this.#onRequest(request));
  }

  static async start(name: string): Promise<TestPhone> {
    const transport = await SipTransportLayer.start({ host: '127.0.0.1', udpPort: 0 });
    const recorder = new RecordingTransport(transport);
    const layer = new TransactionLayer(recorder, { timers: { t1: 50, t2: 400, t4: 500 } });
    return new TestPhone(name, transport, recorder, layer);
  }

  get port(): number {
    const port = this.transport.ports().udp;
    if (port === undefined) throw new Error('the phone has no UDP port');
    return port;
  }

  get peer(): Peer {
    return { protocol: 'udp', address: '127.0.0.1', port: this.port };
  }

  /** The Contact it registers and writes in its requests and responses. */
  get contact(): string {
    return this.transport.contactUri('udp', this.name);
  }

  /** Every message received, CANCEL and ACK included. */
  received(method: string): ParsedMessage[] {
    return this.recorder.inbound.filter(
      (m) => m.message.kind === 'request' && m.message.method === method,
    );
  }

  /** Waits for the next request of `method` not yet taken. */
  takeRequest(method: string, ms = 3000): Promise<ServerRequest> {
    return waitFor(
      () => {
        const found = this.requests.find((r) => r.request.method === method && !this.#taken.has(r));
        if (found) this.#taken.add(found);
        return found;
      },
      `${this.name} to get ${method} (has ${this.requests.map((r) => r.request.method).join(', ')})`,
      ms,
    );
  }

  /** Places a call to `<to>@<edge>` from `sip:<name>@example.test`. */
  call(edge: Peer, options: InviteOptions): OutgoingCall {
    const uri = `sip:${options.to}@127.0.0.1:${edge.port}`;
    const request = buildRequest({
      method: 'INVITE',
      requestUri: uri,
      from: { uri: `sip:${this.name}@example.test`, tag: randomToken() },
      to: { uri: `sip:${options.to}@example.test` },
      cseq: 1,
      contact: this.contact,
      headers: options.headers ?? [],
      body: options.sdp,
      contentType: options.sdp === undefined ? undefined : 'application/sdp',
    });
    return new OutgoingCall(this, request, edge).start();
  }

  /** Answers an incoming INVITE (new or re-INVITE) with `status`, Contact and optional SDP. */
  answer(
    invite: ServerRequest,
    status: number,
    options: {
      readonly toTag?: string;
      readonly sdp?: string;
      /** The Contact URI of a 2xx; the phone's own by default. */
      readonly contact?: string;
      readonly headers?: readonly (readonly [string, string])[];
    } = {},
  ): void {
    const toTag = options.toTag ?? this.#tags.get(invite) ?? randomToken();
    this.#tags.set(invite, toTag);
    const response = buildResponse(invite.request, status, {
      toTag,
      headers: [
        ...(status > 100 && status < 300
          ? ([['Contact', `<${options.contact ?? this.contact}>`]] as const)
          : []),
        ...(options.headers ?? []),
        ...(options.sdp === undefined ? [] : ([['Content-Type', 'application/sdp']] as const)),
      ],
      body: options.sdp === undefined ? undefined : Buffer.from(options.sdp),
    });
    invite.respond(response);
  }

  /** Sends a request inside `dialog` to `target`; resolves with its final response. */
  sendInDialog(
    dialog: Dialog,
    method: string,
    target: Peer,
    options: {
      readonly body?: string;
      readonly contentType?: string;
      /** The Contact URI of a re-INVITE (a target refresh); the phone's own by default. */
      readonly contact?: string;
      readonly headers?: readonly (readonly [string, string])[];
    } = {},
  ): { readonly cseq: number; readonly final: Promise<ParsedMessage> } {
    const contact: (readonly [string, string])[] =
      method === 'INVITE' ? [['Contact', `<${options.contact ?? this.contact}>`]] : [];
    const { request } = dialog.createRequest(method, {
      headers: [...contact, ...(options.headers ?? [])],
      body: options.body === undefined ? undefined : Buffer.from(options.body),
      contentType: options.contentType,
    });
    const final = new Promise<ParsedMessage>((resolve, reject) => {
      this.layer.sendRequest(request, target, {
        onFinal: resolve,
        onTimeout: () => reject(new Error(`${this.name}: ${method} timed out`)),
        onTransportError: (e) => reject(e),
      });
    });
    return { cseq: dialog.localSeq, final };
  }

  /** ACKs a 2xx to a re-INVITE sent with sendInDialog. */
  async ackReinvite(dialog: Dialog, cseq: number, target: Peer): Promise<void> {
    await this.layer.sendStateless(dialog.createAck(cseq), target);
  }

  async close(): Promise<void> {
    this.layer.close();
    await this.transport.close();
  }

  #onRequest(request: ServerRequest): void {
    this.requests.push(request);
    const method = request.request.method;
    if (method === 'INVITE') {
      request.onCancel(() => {
        if (!request.pending || !this.autoCancel) return;
        this.autoAnswered.push('487');
        request.respond(
          buildResponse(request.request, 487, { toTag: this.#tags.get(request) ?? randomToken() }),
        );
      });
    } else if (method === 'BYE') {
      this.autoAnswered.push('200 BYE');
      request.respond(buildResponse(request.request, 200));
    }
  }
}
