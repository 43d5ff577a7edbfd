import { CodedError } from '@pbx/domain';

/**
 * Misconfiguration of digest authentication, found when the services are built at start-up.
 * Bad input from the network is never thrown: parsers and verifiers return typed results.
 */
export enum DigestAuthErrorCode {
  InvalidNonceSecret = 'digest-auth.invalid-nonce-secret',
  InvalidLifetime = 'digest-auth.invalid-lifetime',
  InvalidCapacity = 'digest-auth.invalid-capacity',
}

export class DigestAuthError extends CodedError<DigestAuthErrorCode> {}
