/** What a failed REGISTER means to the user, and whether trying again by itself can help. */
export interface RegistrationFailure {
  readonly message: string;
  /** Wrong credentials or an unknown domain never fix themselves: retrying only feeds the throttle. */
  readonly retry: boolean;
}

export function registrationFailure(
  status: number | undefined,
  domain: string,
): RegistrationFailure {
  if (status === undefined || status === 408) {
    return { message: 'The phone server did not answer the registration.', retry: true };
  }
  switch (status) {
    case 401:
    case 407:
      return { message: `Wrong username or password (${status}).`, retry: false };
    case 403:
      return {
        message:
          'Sign-in refused (403): wrong username or password, or too many failed attempts. Check the password and try again in a few minutes.',
        retry: false,
      };
    case 404:
      return {
        message: `The phone server does not serve the domain ${domain} (404).`,
        retry: false,
      };
    default:
      return {
        message: `The phone server could not register this phone (${status}).`,
        retry: status >= 500,
      };
  }
}

/** How a call ended, as the page tells it. */
export type CallEnd =
  | { readonly kind: 'hung-up'; readonly by: 'local' | 'remote' }
  /** This page declined an incoming call. */
  | { readonly kind: 'declined' }
  /** The caller gave up, or another device of the user answered. */
  | { readonly kind: 'missed' }
  /** This page cancelled its own call before the answer. */
  | { readonly kind: 'cancelled' }
  /** The network answered this page's call with a final failure response. */
  | { readonly kind: 'rejected'; readonly status: number }
  | { readonly kind: 'failed'; readonly message: string };

export function callEndMessage(end: CallEnd, remote: string): string {
  switch (end.kind) {
    case 'hung-up':
      return end.by === 'local' ? `Call with ${remote} ended.` : `${remote} hung up.`;
    case 'declined':
      return `Declined the call from ${remote}.`;
    case 'missed':
      return `Missed call from ${remote}.`;
    case 'cancelled':
      return `Call to ${remote} cancelled.`;
    case 'rejected':
      return `${rejectionText(end.status, remote)} (${end.status}).`;
    case 'failed':
      return end.message;
    default:
      return assertNeverEnd(end);
  }
}

function rejectionText(status: number, remote: string): string {
  switch (status) {
    case 404:
    case 484:
    case 604:
      return `${remote} does not exist`;
    case 486:
    case 600:
      return `${remote} is busy`;
    case 408:
    case 480:
      return `${remote} did not answer or is not reachable`;
    case 403:
    case 603:
      return `The call to ${remote} was refused`;
    case 487:
      return `The call to ${remote} was cancelled`;
    case 488:
    case 606:
      return `${remote} could not agree on audio with this browser`;
    default:
      return `The call to ${remote} failed`;
  }
}

function assertNeverEnd(value: never): never {
  throw new TypeError(`unexpected call end ${JSON.stringify(value)}`);
}
