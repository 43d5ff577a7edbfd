/** The registrar's limits (RFC 3261 section 10.3), from PBX_SIP_MIN_EXPIRES / PBX_SIP_MAX_EXPIRES. */
export interface RegistrarPolicy {
  /** Shorter non-zero requests get 423 with Min-Expires. */
  readonly minExpires: number;
  /** Longer requests are granted this. */
  readonly maxExpires: number;
  /** When neither the contact nor the Expires header says. */
  readonly defaultExpires: number;
  /**
   * Bindings per address of record. A REGISTER asking for more contacts than this at once gets
   * 403; otherwise, when new contacts would pass the limit, the least recently refreshed ones are
   * dropped (with DeviceUnregistered REMOVED): a phone that lost its old registration (a new IP
   * after a NAT rebinding) must not be locked out by the stale one.
   */
  readonly maxContacts: number;
}

export interface RegistrarPolicyInput {
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires?: number;
  readonly maxContacts?: number;
}

/** Checks the limits once at start-up; the default expiry is brought within them. */
export function registrarPolicy(input: RegistrarPolicyInput): RegistrarPolicy {
  const whole = (value: number, name: string, min: number): number => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(
        `registrar ${name} must be a whole number of at least ${min}, got ${value}`,
      );
    }
    return value;
  };
  const minExpires = whole(input.minExpires, 'minExpires', 1);
  const maxExpires = whole(input.maxExpires, 'maxExpires', minExpires);
  const defaultExpires = Math.min(
    maxExpires,
    Math.max(minExpires, whole(input.defaultExpires ?? 3600, 'defaultExpires', 1)),
  );
  return {
    minExpires,
    maxExpires,
    defaultExpires,
    maxContacts: whole(input.maxContacts ?? 10, 'maxContacts', 1),
  };
}
