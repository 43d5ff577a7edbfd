/** What went wrong in a `pbx` command; each code has one exit status (`exitCodeOf`). */
export enum PbxCliErrorCode {
  /** The command line is wrong: an unknown command or option, a missing argument. */
  Usage = 'USAGE',
  /** The file cannot be used: unreadable, oversized, not UTF-8, bad YAML or a bad document. */
  InvalidFile = 'INVALID_FILE',
  /** The platform understood the request and refused it (422, 409, 400). */
  Refused = 'REFUSED',
  /** The named resource does not exist. */
  NotFound = 'NOT_FOUND',
  /** No answer from the platform: connection refused, timed out, or a bad PBX_API_URL. */
  Unreachable = 'UNREACHABLE',
  /** No operator credential, or the platform refused it (401, 403). */
  Unauthorized = 'UNAUTHORIZED',
  /** The platform answered, but not usefully: 5xx or a body outside the API contract. */
  PlatformFailure = 'PLATFORM_FAILURE',
}

/** Exit statuses: scripts tell "your input was refused" (1) from "the platform is not there" (3). */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
export const EXIT_PLATFORM = 3;

/**
 * One failure of a command. `details` are lines printed before the message, one problem each
 * (`company.yaml:27: spec.users[2].profile: unknown profile "gold"; ...`), so that a user fixes
 * every problem of a file in one go.
 */
export class PbxCliError extends Error {
  constructor(
    readonly code: PbxCliErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PbxCliError';
  }
}

export function exitCodeOf(code: PbxCliErrorCode): number {
  switch (code) {
    case PbxCliErrorCode.Usage:
      return EXIT_USAGE;
    case PbxCliErrorCode.InvalidFile:
    case PbxCliErrorCode.Refused:
    case PbxCliErrorCode.NotFound:
      return EXIT_REFUSED;
    case PbxCliErrorCode.Unreachable:
    case PbxCliErrorCode.Unauthorized:
    case PbxCliErrorCode.PlatformFailure:
      return EXIT_PLATFORM;
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}
