// The fixtures are test data of libs/sip, not part of its public API: imported by path.
import { TORTURE_INVALID, TORTURE_VALID } from '../../../libs/sip/src/messages/rfc4475.fixtures';
import { TORTURE_EXTRA } from './rfc4475-extra.fixtures';
import { headerOf, type SipAnswer } from './sip-answer';
import type { ProbeTransport } from './sip-probe';
import { replaceInHead } from './torture-rewrite';

/**
 * What the edge must do with one message:
 * - final statuses (in any order: dblreq over TCP is two requests); 100 Trying may come first;
 * - 'drop': nothing comes back (responses sent to a server, RFC 3261 18.1.2 and 8.1.3.3);
 * - 'wait': TCP only, the Content-Length promises more bytes, so the edge waits for them
 *   (RFC 3261 18.3) and answers nothing yet.
 */
export type Outcome = readonly number[] | 'drop' | 'wait';

export interface TortureCase {
  /** RFC 4475 name, with a suffix for our variants. */
  readonly name: string;
  readonly data: Buffer;
  /**
   * 'request': a request the edge's transaction layer answers, rewritten by prepareRequest so
   * that the answer comes back (top Via rport over UDP, a unique transaction).
   * 'verbatim': sent byte for byte: malformed requests are answered statelessly to the packet's
   * source or on the connection (RFC 3261 18.2.2), and responses are never answered.
   */
  readonly send: 'request' | 'verbatim';
  readonly udp: Outcome;
  readonly tcp: Outcome;
  /** Further checks of the final answer(s). */
  readonly check?: (finals: readonly SipAnswer[]) => void;
  /** Why this outcome is the right one. */
  readonly why: string;
}

const VALID = TORTURE_VALID;
const INVALID = TORTURE_INVALID;

function both(
  name: string,
  data: Buffer,
  send: TortureCase['send'],
  outcome: Outcome,
  why: string,
  check?: TortureCase['check'],
): TortureCase {
  return { name, data, send, udp: outcome, tcp: outcome, why, check };
}

function expectHeader(name: string, pattern: RegExp): TortureCase['check'] {
  return (finals) => {
    for (const answer of finals) {
      const value = headerOf(answer, name);
      if (value === undefined || !pattern.test(value))
        throw new Error(`${answer.status} has ${name}: ${String(value)}, expected ${pattern}`);
    }
  };
}

const ALLOW = expectHeader('Allow', /\bREGISTER\b/);

/** Every RFC 4475 message that applies to a registrar and B2BUA, with the answer it must get. */
export const TORTURE_CASES: readonly TortureCase[] = [
  // ---- 3.1.1 valid messages ----------------------------------------------------------------
  both(
    'wsinv',
    VALID.wsinv,
    'request',
    [481],
    'parsed despite the LWS and folding; its To has a tag, so it is a mid-dialog INVITE for a ' +
      'dialog the edge does not have (RFC 3261 12.2.2)',
  ),
  both(
    'intmeth',
    VALID.intmeth,
    'request',
    [501],
    'an unknown method (RFC 3261 8.2.1), with Allow',
    ALLOW,
  ),
  both(
    'esc01',
    VALID.esc01,
    'request',
    [403],
    'an INVITE from a domain the platform does not serve (example.net): 100, then 403',
  ),
  both(
    'escnull',
    VALID.escnull,
    'request',
    [404],
    'a REGISTER for example.com, a domain this registrar does not serve (RFC 3261 10.3 step 1)',
  ),
  both(
    'esc02',
    VALID.esc02,
    'request',
    [501],
    'RE%47IST%45R is not REGISTER: escapes are not allowed in a method, so it is unknown',
    ALLOW,
  ),
  both('lwsdisp', VALID.lwsdisp, 'request', [200], 'an OPTIONS the edge answers itself'),
  both(
    'longreq',
    VALID.longreq,
    'request',
    [403],
    'long headers and 34 Vias parse; an INVITE from an unknown domain (example.net)',
  ),
  {
    name: 'dblreq',
    data: VALID.dblreq,
    send: 'request',
    udp: [404],
    tcp: [404, 403],
    why:
      'in a datagram the bytes after Content-Length are discarded (RFC 3261 18.3), so only the ' +
      'REGISTER counts; on a stream they are the next message, an INVITE from example.net',
  },
  both('semiuri', VALID.semiuri, 'request', [200], 'an OPTIONS with ";" in the user part'),
  both('transports', VALID.transports, 'request', [200], 'Vias with unknown transports'),
  both(
    'mpart01',
    VALID.mpart01,
    'request',
    [405],
    'MESSAGE is a method the edge knows but does not serve (RFC 3261 8.2.1: 405 with Allow)',
    ALLOW,
  ),
  both('unreason', VALID.unreason, 'verbatim', 'drop', 'a response sent to a server'),
  both('noreason', VALID.noreason, 'verbatim', 'drop', 'a response sent to a server'),
  both(
    'badbranch',
    VALID.badbranch,
    'request',
    [200],
    'a branch that is only the magic cookie is still a branch (RFC 3261 17.2.3)',
  ),
  both(
    'zeromf',
    VALID.zeromf,
    'request',
    [483],
    'Max-Forwards 0: the edge forwards nothing and answers 483 (RFC 3261 16.3 step 3)',
  ),
  both(
    'bext01',
    VALID.bext01,
    'request',
    [420],
    'Require with option tags nobody supports: 420 listing them in Unsupported (RFC 3261 ' +
      '8.2.2.3); Proxy-Require is for proxies and ignored',
    expectHeader('Unsupported', /^nothingSupportsThis, nothingSupportsThisEither$/),
  ),
  both(
    'bcast',
    VALID.bcast,
    'verbatim',
    'drop',
    'a response with two Vias (one broadcast) sent to a server (RFC 3261 8.1.3.3)',
  ),
  both('cparam01', VALID.cparam01, 'request', [404], 'a REGISTER for example.com'),
  both('cparam02', VALID.cparam02, 'request', [404], 'a REGISTER for example.com'),
  both('regaut01', VALID.regaut01, 'request', [404], 'a REGISTER for example.com'),
  {
    // Variant: Request-URI, To and From moved to acme.example, the unknown scheme kept.
    name: 'regaut01 (acme.example)',
    data: replaceInHead(VALID.regaut01, 'example.com', 'acme.example'),
    send: 'request',
    udp: [401],
    tcp: [401],
    why:
      'an Authorization in an unknown scheme: a registrar that authenticates rejects it with 401 ' +
      'and a challenge in a scheme it understands (RFC 4475, regaut01)',
    check: expectHeader('WWW-Authenticate', /^Digest .*realm="acme\.example"/),
  },
  both(
    'sdp01',
    VALID.sdp01,
    'request',
    [403],
    'authentication comes first (RFC 3261 8.2), and example.net is not ours',
  ),
  {
    // Variant: the caller moved to acme.example, Accept: text/nobodyKnowsThis kept.
    name: 'sdp01 (acme.example caller)',
    data: replaceInHead(VALID.sdp01, 'caller@example.net', 'caller@acme.example'),
    send: 'request',
    udp: [407],
    tcp: [407],
    why: 'a caller of a served domain is challenged first (RFC 3261 8.2, 22.3)',
    check: expectHeader('Proxy-Authenticate', /^Digest .*realm="acme\.example"/),
  },
  {
    name: 'inv2543',
    data: VALID.inv2543,
    send: 'request',
    udp: [403],
    tcp: [400],
    why:
      'RFC 2543 syntax is tolerated over UDP (an INVITE from a foreign domain); a stream needs ' +
      'Content-Length, which it lacks (RFC 3261 18.3, 20.14)',
  },
  both(
    'unksm2',
    TORTURE_EXTRA.unksm2,
    'request',
    [404],
    'isbn:, http: and name: URIs in To, From and Contact parse; the REGISTER is for example.com',
  ),
  both(
    'invut',
    TORTURE_EXTRA.invut,
    'request',
    [403],
    'a body of an unknown type; authentication comes before the body (RFC 3261 8.2)',
  ),
  both(
    'regescrt',
    TORTURE_EXTRA.regescrt,
    'request',
    [404],
    'a Contact with an escaped Route header parses; the REGISTER is for example.com',
  ),
  both('scalarlg', TORTURE_EXTRA.scalarlg, 'verbatim', 'drop', 'a response, with huge scalars'),

  // ---- 3.1.2 invalid messages ----------------------------------------------------------------
  both('badinv01', INVALID.badinv01.data, 'verbatim', [400], 'empty Via and Contact parameters'),
  {
    name: 'clerr',
    data: INVALID.clerr.data,
    send: 'verbatim',
    udp: [400],
    tcp: 'wait',
    why:
      'Content-Length 9999 beyond the datagram is an error (RFC 3261 18.3); on a stream the ' +
      'remaining bytes may still come',
  },
  both('ncl', INVALID.ncl.data, 'verbatim', [400], 'a negative Content-Length'),
  both(
    'scalar02',
    INVALID.scalar02.data,
    'verbatim',
    [400],
    'CSeq beyond 2**31 (RFC 3261 8.1.1.5)',
  ),
  both('quotbal', INVALID.quotbal.data, 'verbatim', [400], 'an unterminated quoted string'),
  both('ltgtruri', INVALID.ltgtruri.data, 'verbatim', [400], 'a Request-URI in <>'),
  both('lwsruri', INVALID.lwsruri.data, 'verbatim', [400], 'LWS inside the Request-URI'),
  both('lwsstart', INVALID.lwsstart.data, 'verbatim', [400], 'several SPs in the request line'),
  both('trws', INVALID.trws.data, 'verbatim', [400], 'trailing SPs after SIP/2.0'),
  both('escruri', INVALID.escruri.data, 'verbatim', [400], 'escaped headers in a Request-URI'),
  both('baddate', INVALID.baddate.data, 'verbatim', [400], 'a Date not in GMT'),
  both('regbadct', INVALID.regbadct.data, 'verbatim', [400], 'a Contact with a header, unquoted'),
  both('badaspec', INVALID.badaspec.data, 'verbatim', [400], 'spaces inside <>'),
  both('baddn', INVALID.baddn.data, 'verbatim', [400], 'an unquoted display name with a comma'),
  both('badvers', INVALID.badvers.data, 'verbatim', [505], 'SIP/7.0 (RFC 3261 8.2.1, 21.5.7)'),
  both('mismatch01', INVALID.mismatch01.data, 'verbatim', [400], 'CSeq method not the method'),
  both(
    'mismatch02',
    INVALID.mismatch02.data,
    'verbatim',
    [400],
    'CSeq method not the (unknown) method',
  ),
  both('bigcode', INVALID.bigcode.data, 'verbatim', 'drop', 'a response, and a broken one'),
  both(
    'insuf',
    INVALID.insuf.data,
    'verbatim',
    'drop',
    'no From, To or Call-ID: an answer would have to lack them too (RFC 3261 8.2.6.2), so the ' +
      'message is dropped; RFC 4475 asks only that the element not break',
  ),
  both(
    'unkscm',
    INVALID.unkscm.data,
    'verbatim',
    [416],
    'an unknown URI scheme (RFC 3261 8.2.2.1)',
  ),
  both(
    'novelsc',
    INVALID.novelsc.data,
    'verbatim',
    [416],
    'soap.beep: a scheme a PBX cannot serve',
  ),
  both('multi01', INVALID.multi01.data, 'verbatim', [400], 'two Call-IDs, CSeqs, Tos and Froms'),
  both('mcl01', INVALID.mcl01.data, 'verbatim', [400], 'two Content-Lengths'),
];

export function outcomeFor(c: TortureCase, transport: ProbeTransport): Outcome {
  return transport === 'udp' ? c.udp : c.tcp;
}

export function describeOutcome(outcome: Outcome): string {
  return typeof outcome === 'string' ? outcome : outcome.join(' + ');
}
