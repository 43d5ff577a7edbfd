import { msg } from '../../../libs/sip/src/messages/rfc4475.fixtures';

/**
 * RFC 4475 messages that apply to a registrar/B2BUA but are not among libs/sip's parser
 * fixtures (they parse; what matters is what the layers above answer), re-typed from the RFC.
 */
export const TORTURE_EXTRA: Readonly<Record<'unksm2' | 'invut' | 'regescrt' | 'scalarlg', Buffer>> =
  {
    // Unknown schemes in To, From and Contact of a REGISTER.
    unksm2: msg([
      'REGISTER sip:example.com SIP/2.0',
      'To: isbn:2983792873',
      'From: <http://www.example.com>;tag=3234233',
      'Call-ID: unksm2.daksdj@hyphenated-host.example.com',
      'CSeq: 234902 REGISTER',
      'Max-Forwards: 70',
      'Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw',
      'Contact: <name:John_Smith>',
      'l: 0',
    ]),
    // A body of a type nobody knows, as the session description.
    invut: msg(
      [
        'INVITE sip:user@example.com SIP/2.0',
        'Contact: <sip:caller@host5.example.net>',
        'To: sip:j.user@example.com',
        'From: sip:caller@example.net;tag=8392034',
        'Max-Forwards: 70',
        'Call-ID: invut.0ha0isndaksdjadsfij34n23d',
        'CSeq: 235448 INVITE',
        'Via: SIP/2.0/UDP somehost.example.com;branch=z9hG4bKkdjuw',
        'Content-Type: application/unknownformat',
        'Content-Length: 40',
      ],
      '<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n',
    ),
    // A Contact URI with an escaped Route header: legal in a REGISTER.
    regescrt: msg([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: sip:user@example.com;tag=8',
      'Max-Forwards: 70',
      'Call-ID: regescrt.k345asrl3fdbv@192.0.2.1',
      'CSeq: 14398234 REGISTER',
      'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
      'M: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>',
      'L:0',
    ]),
    // A response with scalars far beyond their ranges.
    scalarlg: msg([
      'SIP/2.0 503 Service Unavailable',
      'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
      'To: <sip:user@example.com>',
      'From: <sip:other@example.net>;tag=2easdjfejw',
      'CSeq: 9292394834772304023312 OPTIONS',
      'Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
      'Retry-After: 949302838503028349304023988',
      'Warning: 1812 overture "In Progress"',
      'Content-Length: 0',
    ]),
  };
