/** What a rule sees: the parsed values by variable name, and whether each variable is set. */
export interface RuleContext {
  /** Parsed values; undefined for a variable that is unset or invalid. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Set means a non-empty value was given (even an invalid one) or a default applies. */
  isSet(name: string): boolean;
}

/** A rule across fields; `names` are the variables it mentions, checked against the schema. */
export interface ConfigRule<Name extends string = string> {
  readonly names: readonly Name[];
  /** The problem line, or undefined when the rule holds. */
  check(context: RuleContext): string | undefined;
}

function andList(items: readonly string[]): string {
  return items.length === 1
    ? items[0]
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * When `when` is set (or, given a predicate, when it returns true), every one of `fields` must be
 * set. The default message reads "PBX_SIP_TLS_PORT is set, so PBX_TLS_CERT_FILE and
 * PBX_TLS_KEY_FILE are required"; a predicate needs its own message.
 */
export function requires<const Name extends string>(
  when: Name,
  fields: readonly [Name, ...Name[]],
  message?: string,
): ConfigRule<Name>;
export function requires<const Name extends string>(
  when: (context: RuleContext) => boolean,
  fields: readonly [Name, ...Name[]],
  message: string,
): ConfigRule<Name>;
export function requires<const Name extends string>(
  when: Name | ((context: RuleContext) => boolean),
  fields: readonly [Name, ...Name[]],
  message?: string,
): ConfigRule<Name> {
  const applies =
    typeof when === 'function' ? when : (context: RuleContext): boolean => context.isSet(when);
  const problem =
    message ??
    `${String(when)} is set, so ${andList(fields)} ${fields.length === 1 ? 'is' : 'are'} required`;
  return {
    names: typeof when === 'function' ? [...fields] : [when, ...fields],
    check: (context) =>
      applies(context) && !fields.every((name) => context.isSet(name)) ? problem : undefined,
  };
}
