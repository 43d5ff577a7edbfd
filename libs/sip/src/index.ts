export * from './grammar/grammar-result';
export {
  parseParameterList,
  parseParams,
  findParam,
  paramValue,
  type GenericParam,
  type ParamsParsed,
} from './grammar/parameters';
export {
  parseUri,
  parseHostPort,
  isSipUri,
  isTelUri,
  type Uri,
  type SipUri,
  type TelUri,
  type OtherUri,
} from './grammar/uri';
export {
  parseNameAddr,
  parseNameAddrAt,
  parseNameAddrList,
  tagOf,
  type NameAddr,
  type NameAddrParsed,
} from './grammar/name-addr';
export { parseVia, type Via } from './grammar/via';
export {
  parseCSeq,
  parseMaxForwards,
  parseContentLength,
  parseExpires,
  parseDeltaSeconds,
  parseCallId,
  parseSipDate,
  MAX_CSEQ,
  MAX_DELTA_SECONDS,
  type CSeq,
} from './grammar/scalar-headers';
export {
  parseContact,
  parseQValue,
  type ContactAddress,
  type ContactValue,
} from './grammar/contact';
export { splitHeaderValues } from './grammar/split-values';
export { canonicalHeaderName, headerKey, isListHeader } from './messages/header-names';
export {
  SipHeaders,
  SIP_VERSION,
  type HeaderField,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './messages/sip-message';
export {
  MessageParseErrorCode,
  statusForParseError,
  type MessageParseError,
} from './messages/message-parse-error';
export {
  parseMessage,
  DEFAULT_PARSE_LIMITS,
  type ParseOptions,
  type ParseResult,
  type ParsedMessage,
} from './messages/parse-message';
export { serializeMessage } from './messages/serialize-message';
export {
  SipStreamFramer,
  type StreamFrame,
  type StreamFramerOptions,
} from './messages/stream-framer';
export {
  computeHa1,
  digestHash,
  parseDigestAlgorithm,
  OFFERED_DIGEST_ALGORITHMS,
  DIGEST_HEX_LENGTH,
  type DigestAlgorithm,
} from './auth/digest-algorithm';
export { DigestAuthError, DigestAuthErrorCode } from './auth/digest-auth.error';
export {
  buildDigestChallenge,
  buildDigestChallenges,
  challengeHeaderFor,
  type DigestChallenger,
  type DigestChallengeHeader,
  type DigestChallengeParams,
} from './auth/digest-challenge';
export {
  HmacNonceService,
  DEFAULT_NONCE_LIFETIME_MS,
  DEFAULT_NONCE_CLOCK_SKEW_MS,
  type NonceVerifier,
  type NonceIssuer,
  type NonceCheck,
  type NonceSecrets,
  type HmacNonceServiceOptions,
} from './auth/nonce';
export {
  InMemoryNonceCountTracker,
  DEFAULT_NONCE_COUNT_CAPACITY,
  type NonceCountTracker,
  type NonceCountUse,
  type NonceCountOutcome,
  type InMemoryNonceCountTrackerOptions,
} from './auth/nonce-count-tracker';
export {
  parseDigestCredentials,
  DigestCredentialsErrorCode,
  MAX_DIGEST_CREDENTIALS_LENGTH,
  type DigestCredentials,
  type DigestCredentialsError,
  type DigestCredentialsResult,
} from './auth/digest-credentials';
export {
  verifyDigest,
  type DigestVerification,
  type DigestFailureReason,
  type StoredHa1,
  type VerifyDigestInput,
} from './auth/digest-verifier';
export { RedisNonceCountTracker } from './auth/redis-nonce-count-tracker';
export {
  buildResponse,
  reasonPhrase,
  randomToken,
  pooledRandomBytes,
  type ResponseOptions,
} from './messages/build-response';
export type {
  TransportProtocol,
  Peer,
  InboundMessage,
  ViaAddress,
  SipTransport,
} from './transports/sip-transport';
export { SipTransportLayer, type TransportPorts } from './transports/sip-transport-layer';
export type {
  SipTransportLayerOptions,
  TlsCredentials,
  TlsClientOptions,
} from './transports/transport-options';
export {
  DEFAULT_TRANSPORT_LIMITS,
  resolveTransportLimits,
  type TransportLimits,
} from './transports/transport-limits';
export {
  NOOP_TRANSPORT_OBSERVER,
  NOOP_TRANSPORT_LOG,
  type TransportObserver,
  type TransportLog,
  type ConnectionRefusal,
} from './transports/transport-observer';
export { TransportError, TransportErrorCode } from './transports/transport-error';
export { responseTarget, defaultPort } from './transports/response-target';
export { stampTopVia, stampViaText, stampViaValue } from './transports/via-stamp';
export {
  salvageRequestHeaders,
  buildSalvagedResponse,
  type SalvagedHeaders,
} from './transports/salvage-request';
export { SIP_SUBPROTOCOL } from './transports/ws-listener';
export {
  buildRequest,
  quoteDisplayName,
  RequestBuildError,
  RequestBuildErrorCode,
  type AddressInput,
  type BuildRequestOptions,
} from './messages/build-request';
export {
  TransactionLayer,
  type StatelessScreen,
  type TransactionLayerOptions,
  type TransactionLayerStats,
} from './transactions/transaction-layer';
export type { ServerRequest } from './transactions/server-request';
export { statelessToTag, statelessToTagOf } from './transactions/stateless-to-tag';
export { serverTransactionKeyOf } from './transactions/transaction-key';
export { scanUdpRegister, type RegisterScan } from './messages/register-scan';
export type { DatagramScreen } from './transports/inbound-pipeline';
export type {
  ClientTransaction,
  ClientTransactionListener,
} from './transactions/client-transaction';
export { TransactionError, TransactionErrorCode } from './transactions/transaction.error';
export {
  Timers,
  DEFAULT_TIMER_SETTINGS,
  resolveTimerSettings,
  type TimerSettings,
} from './transactions/timers';
export { MAGIC_COOKIE, newBranch } from './transactions/branch';
export { buildAckForFailure, buildCancel } from './transactions/client-requests';
export {
  InviteClientTransaction,
  InviteClientState,
} from './transactions/invite-client-transaction';
export {
  NonInviteClientTransaction,
  NonInviteClientState,
} from './transactions/non-invite-client-transaction';
export {
  InviteServerTransaction,
  InviteServerState,
  AUTO_TRYING_DELAY_MS,
} from './transactions/invite-server-transaction';
export {
  NonInviteServerTransaction,
  NonInviteServerState,
} from './transactions/non-invite-server-transaction';
export {
  Dialog,
  type InDialogRequest,
  type InDialogRequestOptions,
  type AckOptions,
} from './dialogs/dialog';
export { DialogError, DialogErrorCode } from './dialogs/dialog.error';
export {
  parseDigestChallenge,
  pickDigestChallenge,
  answerDigestChallenge,
  type DigestChallenge,
  type DigestAnswerInput,
} from './auth/digest-client';
export { listsOptionTag, unsupportedOptionTags } from './messages/option-tags';
