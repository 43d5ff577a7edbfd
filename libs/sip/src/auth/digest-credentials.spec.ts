import fc from 'fast-check';
import {
  DigestCredentialsErrorCode,
  MAX_DIGEST_CREDENTIALS_LENGTH,
  parseDigestCredentials,
  type DigestCredentials,
} from './digest-credentials';

const RFC_7616_SHA256 =
  'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", ' +
  'algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
  'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
  'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", ' +
  'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

function parsed(value: string): DigestCredentials {
  const result = parseDigestCredentials(value);
  if (!result.ok) throw new Error(`expected a parse, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function errorOf(value: string): unknown {
  const result = parseDigestCredentials(value);
  return result.ok ? undefined : result.error;
}

describe(parseDigestCredentials.name, () => {
  it('parses the RFC 7616 section 3.9.1 Authorization header', () => {
    expect(parsed(RFC_7616_SHA256)).toMatchObject({
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      uri: '/dir/index.html',
      algorithm: 'SHA-256',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      nc: '00000001',
      nonceCount: 1,
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      qop: 'auth',
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    });
  });

  it('parses a SIP REGISTER Authorization header with a SIP URI', () => {
    const credentials = parsed(
      'Digest username="alice",realm="acme.pbx.example",nonce="abc",uri="sip:acme.pbx.example",' +
        'response="0123456789abcdef0123456789abcdef",algorithm=MD5,cnonce="xyz",qop=auth,nc=0000000a',
    );
    expect(credentials).toMatchObject({ uri: 'sip:acme.pbx.example', nonceCount: 10 });
  });

  it('reads scheme and parameter names case-insensitively, and qop lowercased', () => {
    expect(
      parsed('DIGEST UserName="a", REALM="r", Nonce="n", URI="u", Response="x", QOP=Auth'),
    ).toMatchObject({
      username: 'a',
      realm: 'r',
      nonce: 'n',
      uri: 'u',
      response: 'x',
      qop: 'auth',
    });
  });

  it('unescapes quoted pairs and keeps commas and equals signs inside quotes', () => {
    const credentials = parsed(
      'Digest username="a\\"b\\\\c, d=e", realm="r", nonce="n", uri="u", response="x"',
    );
    expect(credentials.username).toBe('a"b\\c, d=e');
  });

  it('accepts folded lines, tabs and spaces around "=" and ","', () => {
    expect(
      parsed('Digest username = "a" ,\r\n\trealm="r",nonce="n"  ,uri="u",\tresponse="x"').realm,
    ).toBe('r');
  });

  it('accepts UTF-8 in quoted strings and keeps unknown parameters', () => {
    const credentials = parsed(
      'Digest username="Jürgen", realm="r", nonce="n", uri="u", response="x", x-ext=token1',
    );
    expect(credentials.username).toBe('Jürgen');
    expect(credentials.params.get('x-ext')).toBe('token1');
  });

  it.each([
    ['username', 'Digest username="a", realm="r", nonce="n", uri="u", response="x", username="b"'],
    ['response', 'Digest username="a", realm="r", nonce="n", uri="u", response="x", RESPONSE="y"'],
    ['nc', 'Digest username="a", realm="r", nonce="n", uri="u", response="x", nc=1, nc=2'],
  ])('refuses a duplicate %s parameter', (parameter, value) => {
    expect(errorOf(value)).toEqual({
      code: DigestCredentialsErrorCode.DuplicateParameter,
      parameter,
    });
  });

  it.each(['username', 'realm', 'nonce', 'uri', 'response'])('requires %s', (name) => {
    const all = { username: 'a', realm: 'r', nonce: 'n', uri: 'u', response: 'x' };
    const value = Object.entries(all)
      .filter(([key]) => key !== name)
      .map(([key, v]) => `${key}="${v}"`)
      .join(', ');
    expect(errorOf(`Digest ${value}`)).toEqual({
      code: DigestCredentialsErrorCode.MissingParameter,
      parameter: name,
    });
  });

  it.each(['1', '0000001', '000000001', '0000000g'])('refuses nc=%s (not 8 hex digits)', (nc) => {
    expect(
      errorOf(`Digest username="a", realm="r", nonce="n", uri="u", response="x", nc=${nc}`),
    ).toEqual({ code: DigestCredentialsErrorCode.InvalidParameter, parameter: 'nc' });
  });

  it.each([
    ['another scheme', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='],
    ['an empty value', ''],
    ['no scheme', '="a"'],
  ])('refuses %s as not digest', (_label, value) => {
    expect(errorOf(value)).toEqual({ code: DigestCredentialsErrorCode.NotDigest });
  });

  it.each([
    ['no parameters', 'Digest'],
    ['no space after the scheme', 'Digest,username="a"'],
    ['an unterminated quoted string', 'Digest username="a'],
    ['a missing "="', 'Digest username "a"'],
    ['a missing value', 'Digest username=, realm="r"'],
    ['a trailing comma', 'Digest username="a",'],
    ['a missing comma', 'Digest username="a" realm="r"'],
    ['a bare CR LF', 'Digest username="a",\r\nrealm="r"'],
    ['a control character in quotes', 'Digest username="a\u0001"'],
    ['an escaped CR', 'Digest username="a\\\r"'],
    ['a non-token unquoted value', 'Digest uri=sip:a@b'],
  ])('refuses %s as malformed', (_label, value) => {
    expect(errorOf(value)).toMatchObject({ code: DigestCredentialsErrorCode.Malformed });
  });

  it('refuses values longer than the bound before parsing them', () => {
    const long = `Digest username="${'a'.repeat(MAX_DIGEST_CREDENTIALS_LENGTH)}"`;
    expect(errorOf(long)).toEqual({ code: DigestCredentialsErrorCode.TooLong });
  });

  it('never throws on 10,000 random header values', () => {
    const piece = fc.constantFrom(
      'Digest ',
      'username',
      'realm',
      'nonce',
      'uri',
      'response',
      'nc',
      'qop',
      '=',
      ',',
      ' ',
      '\t',
      '\r\n',
      '\r\n ',
      '"',
      '\\',
      '00000001',
      'auth',
    );
    const header = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc
        .array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 60 })
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(header, (value) => {
        const result = parseDigestCredentials(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 10_000 },
    );
  });

  it('parses back every well-formed header it is given', () => {
    const isControl = (c: string): boolean => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;
    const quotedText = fc.string({ maxLength: 20 }).filter((s) => ![...s].some(isControl));
    fc.assert(
      fc.property(quotedText, quotedText, (username, uri) => {
        const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
        const credentials = parsed(
          `Digest username=${quote(username)}, realm="r", nonce="n", uri=${quote(uri)}, response="x"`,
        );
        expect(credentials).toMatchObject({ username, uri });
      }),
      { numRuns: 1_000 },
    );
  });
});
