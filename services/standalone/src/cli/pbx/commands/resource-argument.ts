import { KIND_PATTERN, NAME_PATTERN } from '../manifest/pbx-document';
import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';

/** A resource named on the command line. */
export interface ResourceArgument {
  readonly kind: string;
  readonly name?: string;
}

/**
 * Reads `<kind> [name]` or `<kind>/<name>` (what `-o name` prints). The kind is matched without
 * regard to case (`group`, `Group`); the platform decides which kinds exist.
 */
export function parseResourceArgument(
  positionals: readonly string[],
  command: string,
): ResourceArgument {
  const [first, second, ...rest] = positionals;
  if (first === undefined) {
    throw new PbxCliError(
      PbxCliErrorCode.Usage,
      `pbx ${command} needs a kind, such as: pbx ${command} group acme`,
    );
  }
  const slash = first.indexOf('/');
  const kind = slash === -1 ? first : first.slice(0, slash);
  const name = slash === -1 ? second : first.slice(slash + 1);
  const extra = slash === -1 ? rest : [second, ...rest].filter((arg) => arg !== undefined);
  if (extra.length > 0) {
    throw new PbxCliError(PbxCliErrorCode.Usage, `unexpected argument "${extra[0]}"`);
  }
  if (!KIND_PATTERN.test(kind.charAt(0).toUpperCase() + kind.slice(1))) {
    throw new PbxCliError(PbxCliErrorCode.Usage, `"${kind}" is not a kind, such as group`);
  }
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    throw new PbxCliError(
      PbxCliErrorCode.Usage,
      `"${name}" is not a resource name: lowercase letters, digits and hyphens`,
    );
  }
  return { kind: kind.toLowerCase(), name };
}
