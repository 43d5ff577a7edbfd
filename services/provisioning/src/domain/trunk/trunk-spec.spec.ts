import { formatProblem, SpecProblems } from '../group/spec-problems';
import { readTrunkSpec, validateTrunkSpec } from './trunk-spec';

const problemsOf = (input: unknown): string[] => {
  const result = validateTrunkSpec(input, 'carrier');
  return result.ok ? [] : result.problems.map(formatProblem);
};

describe(validateTrunkSpec.name, () => {
  it('fills in udp, port 5060 and no registration', () => {
    const result = validateTrunkSpec({ host: 'sip.carrier.example' }, 'carrier');
    expect(result).toEqual({
      ok: true,
      spec: {
        name: 'carrier',
        host: 'sip.carrier.example',
        port: 5060,
        transport: 'udp',
        register: false,
        inboundAddresses: [],
      },
    });
  });

  it('defaults the port to 5061 for tls and keeps an explicit port', () => {
    const tls = validateTrunkSpec({ host: 'h.example', transport: 'tls' }, 'carrier');
    const tcp = validateTrunkSpec({ host: 'h.example', transport: 'tcp', port: 5080 }, 'carrier');
    expect(tls.ok && tls.spec.port).toBe(5061);
    expect(tcp.ok && tcp.spec.port).toBe(5080);
  });

  it('accepts credentials with registration and canonical inbound addresses', () => {
    const result = validateTrunkSpec(
      {
        host: '203.0.113.5',
        username: 'acme+31201234500@carrier',
        password: 'p',
        register: true,
        inboundAddresses: ['203.0.113.5', '2001:DB8::5'],
      },
      'carrier',
    );
    expect(result.ok && result.spec).toMatchObject({
      username: 'acme+31201234500@carrier',
      password: 'p',
      register: true,
      inboundAddresses: ['203.0.113.5', '2001:db8::5'],
    });
  });

  it.each([
    [{}, ['host: required']],
    [
      { host: 'sip.carrier.example:5060' },
      [
        'host: "sip.carrier.example:5060" must be a host name or IP address only; give the port in port',
      ],
    ],
    [
      { host: '[2001:db8::1]' },
      ['host: "[2001:db8::1]": write an IPv6 address without brackets, such as 2001:db8::1'],
    ],
    [
      { host: 'carrier..example' },
      [
        'host: "carrier..example" is not a host name (such as sip.carrier.example) or an IP address',
      ],
    ],
    [
      { host: 'h.example', port: 0 },
      ['port: must be a whole number from 1 to 65535, such as 5060'],
    ],
    [
      { host: 'h.example', port: 65536 },
      ['port: must be a whole number from 1 to 65535, such as 5060'],
    ],
    [
      { host: 'h.example', port: '5060' },
      ['port: must be a whole number from 1 to 65535, such as 5060'],
    ],
    [
      { host: 'h.example', transport: 'sctp' },
      ['transport: unknown transport "sctp"; expected one of udp, tcp, tls'],
    ],
    [
      { host: 'h.example', register: true },
      ['register: registering with the carrier needs a username and a password'],
    ],
    [{ host: 'h.example', password: 'p' }, ['password: a password needs a username']],
    [
      { host: 'h.example', username: 'a b', password: 'p' },
      ['username: "a b" must be 1-64 characters without spaces, quotes, backslashes or ":"'],
    ],
    [{ host: 'h.example', username: 'a', password: '' }, ['password: must be 1-128 characters']],
    [
      { host: 'h.example', username: 'a', password: 'x\ny' },
      ['password: must not contain control characters'],
    ],
    [
      { host: 'h.example', inboundAddresses: ['192.0.2.1', '192.0.2.1'] },
      ['inboundAddresses[1]: "192.0.2.1" is listed twice'],
    ],
    [
      { host: 'h.example', inboundAddresses: ['carrier.example'] },
      [
        'inboundAddresses[0]: "carrier.example" is not an IP address such as 192.0.2.10 or 2001:db8::10',
      ],
    ],
    [{ host: 'h.example', inboundAddresses: '192.0.2.1' }, ['inboundAddresses: must be a list']],
    [{ host: 'h.example', hots: 'x' }, ['hots: unknown field; did you mean "host"?']],
    [{ host: 'h.example', name: 'carrier' }, ['name: unknown field']],
  ])('reports %j as %j', (input, problems) => {
    expect(problemsOf(input)).toEqual(problems);
  });

  it('never repeats a password in a problem', () => {
    expect(problemsOf({ host: 'h.example', password: 'Secret-Value' }).join()).not.toContain(
      'Secret-Value',
    );
  });

  it('refuses more than 20 inbound addresses', () => {
    const many = Array.from({ length: 21 }, (_, i) => `192.0.2.${i + 1}`);
    expect(problemsOf({ host: 'h.example', inboundAddresses: many })).toEqual([
      'inboundAddresses: at most 20 addresses, got 21',
    ]);
  });
});

describe(readTrunkSpec.name, () => {
  it('reads the name of a group trunk from the entry, as a DNS label', () => {
    const problems = new SpecProblems();
    expect(readTrunkSpec(problems, { name: 'Carrier 1', host: 'h.example' }, 'trunks[0]')).toBe(
      undefined,
    );
    expect(problems.all.map(formatProblem)).toEqual([
      'trunks[0].name: "Carrier 1" must be 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit, such as carrier',
    ]);
  });
});
