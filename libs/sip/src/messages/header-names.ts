/**
 * Canonical header names (RFC 3261 section 20 and the extensions a PBX meets) and the compact
 * forms of RFC 3261 7.3.3 and later RFCs. Lookups are by lower-cased name.
 */
const CANONICAL = [
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Diversion',
  'Error-Info',
  'Event',
  'Expires',
  'From',
  'History-Info',
  'Identity',
  'In-Reply-To',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Min-SE',
  'Organization',
  'P-Asserted-Identity',
  'P-Preferred-Identity',
  'Path',
  'Priority',
  'Privacy',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'RAck',
  'Reason',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'Reject-Contact',
  'Replaces',
  'Reply-To',
  'Request-Disposition',
  'Require',
  'Retry-After',
  'Route',
  'RSeq',
  'Server',
  'Service-Route',
  'Session-Expires',
  'Subject',
  'Subscription-State',
  'Supported',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];

const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  t: 'To',
  v: 'Via',
  k: 'Supported',
  s: 'Subject',
  o: 'Event',
  r: 'Refer-To',
  b: 'Referred-By',
  u: 'Allow-Events',
  x: 'Session-Expires',
  y: 'Identity',
  a: 'Accept-Contact',
  j: 'Reject-Contact',
  d: 'Request-Disposition',
};

const BY_LOWER = new Map<string, string>();
for (const name of CANONICAL) BY_LOWER.set(name.toLowerCase(), name);
for (const [short, name] of Object.entries(COMPACT)) BY_LOWER.set(short, name);

/**
 * Headers whose grammar is a comma-separated list, so that several fields may be combined in one
 * (RFC 3261 7.3.1). Everything else, including unknown headers and the authentication headers
 * whose challenge/credentials contain commas, is never split.
 */
const LIST_HEADERS = new Set(
  [
    'Accept',
    'Accept-Contact',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Call-Info',
    'Contact',
    'Content-Encoding',
    'Content-Language',
    'Diversion',
    'Error-Info',
    'History-Info',
    'In-Reply-To',
    'P-Asserted-Identity',
    'P-Preferred-Identity',
    'Path',
    'Proxy-Require',
    'Reason',
    'Record-Route',
    'Reject-Contact',
    'Request-Disposition',
    'Require',
    'Route',
    'Service-Route',
    'Supported',
    'Unsupported',
    'Via',
    'Warning',
  ].map((n) => n.toLowerCase()),
);

/** The canonical spelling of a header name; unknown names are returned as given. */
export function canonicalHeaderName(name: string): string {
  return BY_LOWER.get(name.toLowerCase()) ?? name;
}

/** The lookup key of a header name: the lower-cased canonical name. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  const canonical = BY_LOWER.get(lower);
  return canonical === undefined ? lower : canonical.toLowerCase();
}

export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}

export interface HeaderNameInfo {
  readonly name: string;
  readonly key: string;
}

const INFO_BY_LOWER = new Map<string, HeaderNameInfo>();
for (const [lower, name] of BY_LOWER) INFO_BY_LOWER.set(lower, { name, key: name.toLowerCase() });

// Names as phones nearly always write them (canonical spelling, or compact): found without
// lower-casing first, which costs a new string per header field of every message.
const INFO_AS_WRITTEN = new Map<string, HeaderNameInfo>();
for (const [lower, info] of INFO_BY_LOWER) {
  INFO_AS_WRITTEN.set(lower.length === 1 ? lower : info.name, info);
}

/** Name and key of a header from its name as written, in any case; undefined when unknown. */
export function lookupWireHeaderName(raw: string): HeaderNameInfo | undefined {
  return INFO_AS_WRITTEN.get(raw) ?? INFO_BY_LOWER.get(raw.toLowerCase());
}
