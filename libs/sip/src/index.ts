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
  type ResponseOptions,
} from './messages/build-response';
