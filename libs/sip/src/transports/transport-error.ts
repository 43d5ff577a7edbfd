import { CodedError } from '@pbx/domain';

/**
 * Why the transport layer could not start or send. Bad input from the network is never thrown:
 * it is answered or dropped below the transaction layer (RFC 3261 18.1.2 and 18.2.1).
 */
export enum TransportErrorCode {
  InvalidOptions = 'sip-transport.invalid-options',
  BindFailed = 'sip-transport.bind-failed',
  NotListening = 'sip-transport.not-listening',
  Closed = 'sip-transport.closed',
  NoConnection = 'sip-transport.no-connection',
  ConnectFailed = 'sip-transport.connect-failed',
  ConnectTimeout = 'sip-transport.connect-timeout',
  TooManyConnections = 'sip-transport.too-many-connections',
  WriteBufferFull = 'sip-transport.write-buffer-full',
  SendFailed = 'sip-transport.send-failed',
}

export class TransportError extends CodedError<TransportErrorCode> {}
