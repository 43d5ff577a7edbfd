import { err, ok, quoteInput, type Result } from '../result';

/** An IANA time zone that this runtime's Intl knows (`Europe/Amsterdam`), or `UTC`. */
export type TimeZone = string & { readonly __brand: 'TimeZone' };

const MAX_TIME_ZONE_INPUT = 64;

let zonesByLowerCase: ReadonlyMap<string, TimeZone> | undefined;

/**
 * Reads a time zone name, ignoring case, and returns its canonical spelling. Only zones that
 * `Intl.supportedValuesOf('timeZone')` lists are accepted, so that every accepted zone can be
 * evaluated by `Intl.DateTimeFormat` on this runtime; deprecated aliases are not in that list.
 */
export function parseTimeZone(text: string): Result<TimeZone, string> {
  const found =
    text.length <= MAX_TIME_ZONE_INPUT ? knownZones().get(text.trim().toLowerCase()) : undefined;
  if (found !== undefined) return ok(found);
  return err(
    `unknown time zone ${quoteInput(text)}; expected an IANA zone such as Europe/Amsterdam`,
  );
}

function knownZones(): ReadonlyMap<string, TimeZone> {
  zonesByLowerCase ??= new Map(
    [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((zone) => [
      zone.toLowerCase(),
      zone as TimeZone,
    ]),
  );
  return zonesByLowerCase;
}
