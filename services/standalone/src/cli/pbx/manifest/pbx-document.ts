/** The one API version this command speaks. */
export const API_VERSION = 'pbx/v1';

/**
 * A document of a pbx file, checked to its envelope; `spec` is the platform's to judge, as only
 * the platform knows each kind's fields. Key order is the file's (or the platform's), which
 * `get -o yaml` keeps so that what it prints round-trips into `apply`.
 */
export interface PbxDocument {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: string;
  readonly metadata: { readonly name: string } & Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
}

/** `Group` -> `group`, as in URLs and in `group/acme`. */
export function kindSlug(kind: string): string {
  return kind.toLowerCase();
}

/** `group/acme`, as kubectl names a resource. */
export function resourceRef(kind: string, name: string): string {
  return `${kindSlug(kind)}/${name}`;
}

/** A DNS label, as a name must be usable in a host name, a URL and a file name. */
export const NAME_PATTERN = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

export const KIND_PATTERN = /^[A-Z][A-Za-z0-9]{0,62}$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
