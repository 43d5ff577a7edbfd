import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse, parseAllDocuments } from 'yaml';

// The published schema must accept the shipped example, or editors flag a correct file.
const ROOT = join(__dirname, '../../../../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/pbx-v1.schema.json'), 'utf8'));
const acmeText = readFileSync(join(ROOT, 'examples/acme.yaml'), 'utf8');
const holdingText = readFileSync(join(ROOT, 'examples/holding.yaml'), 'utf8');
const carrierText = readFileSync(join(ROOT, 'examples/carrier-trunk.yaml'), 'utf8');

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

type Json = Record<string, unknown>;

function acme(): Json {
  return parse(acmeText) as Json;
}

function errorsOf(document: unknown): string[] {
  return validate(document)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

function withUser(change: (user: Json) => void): Json {
  const document = acme();
  change(((document.spec as Json).users as Json[])[2]);
  return document;
}

/** The example with some spec fields replaced; undefined removes one. */
function withSpec(fields: Json): Json {
  const document = acme();
  document.spec = JSON.parse(JSON.stringify({ ...(document.spec as Json), ...fields }));
  return document;
}

describe('schemas/pbx-v1.schema.json', () => {
  it('has an $id, a title and draft 2020-12', () => {
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.any(String),
      title: expect.any(String),
    });
  });

  it('accepts examples/acme.yaml', () => {
    expect(errorsOf(acme())).toEqual([]);
  });

  it('accepts every document of examples/holding.yaml: an Enterprise and its groups', () => {
    const documents = parseAllDocuments(holdingText).map((d) => d.toJS() as Json);
    expect(documents.map((d) => d.kind)).toEqual(['Enterprise', 'Group', 'Group']);
    expect(documents.map(errorsOf)).toEqual([[], [], []]);
  });

  it.each([
    ['an unknown enterprise field', { displayName: 'Holding BV', domain: 'holding.example' }],
    ['an empty display name', { displayName: '' }],
  ])('refuses an Enterprise with %s', (_name, spec) => {
    const errors = errorsOf({
      apiVersion: 'pbx/v1',
      kind: 'Enterprise',
      metadata: { name: 'holding' },
      spec,
    });
    expect(errors.some((error) => error.startsWith('/spec'))).toBe(true);
  });

  it('accepts departments, schedules, hunt group numbers and flex hosts', () => {
    const document = acme();
    const spec = document.spec as Json;
    Object.assign(spec, {
      departments: [{ name: 'Support', number: '+31201234590' }, { name: 'Office' }],
      schedules: [
        {
          name: 'office',
          type: 'business-hours',
          days: { mon: ['08:30-12:00', '13:00-17:30'], fri: ['08:30-24:00'], sat: [] },
        },
        { name: 'closed', type: 'holidays', dates: ['2025-12-25', '2026-01-01'] },
      ],
    });
    (spec.users as Json[])[0].department = 'Support';
    (spec.users as Json[])[1].devices = [{ username: 'desk-1', kind: 'deskphone', flexHost: true }];
    (spec.huntGroups as Json[])[0].number = '+31201234560';
    expect(errorsOf(document)).toEqual([]);
  });

  it('accepts examples/carrier-trunk.yaml, a bare operator trunk, group trunks and presentation', () => {
    expect(errorsOf(parse(carrierText))).toEqual([]);
    const bare = { apiVersion: 'pbx/v1', kind: 'Trunk', metadata: { name: 'peer' } };
    expect(errorsOf({ ...bare, spec: { host: '2001:db8::1' } })).toEqual([]);
    const document = withSpec({
      trunks: [
        {
          name: 'carrier',
          host: 'sip.carrier.example',
          transport: 'tls',
          username: 'a',
          password: 'p',
          register: true,
        },
        { name: 'backup', host: '198.51.100.7', port: 5080, inboundAddresses: ['198.51.100.7'] },
      ],
    });
    ((document.spec as Json).users as Json[])[0].presentation = 'restricted';
    expect(errorsOf(document)).toEqual([]);
  });

  it.each([
    ['a trunk without host', {}, '/spec'],
    ['a trunk with a name in its spec', { name: 'x', host: 'h.example' }, '/spec'],
    ['a port out of range', { host: 'h.example', port: 70000 }, '/spec/port'],
    ['a port written as text', { host: 'h.example', port: '5060' }, '/spec/port'],
    ['an unknown transport', { host: 'h.example', transport: 'sctp' }, '/spec/transport'],
    ['registration without username', { host: 'h.example', register: true }, '/spec'],
    ['a password without username', { host: 'h.example', password: 'p' }, '/spec'],
    ['a host with a space', { host: 'sip carrier' }, '/spec/host'],
    [
      'an inbound host name',
      { host: 'h.example', inboundAddresses: ['carrier.example'] },
      '/spec/inboundAddresses/0',
    ],
  ])('refuses a Trunk with %s', (_name, spec, path) => {
    const errors = errorsOf({
      apiVersion: 'pbx/v1',
      kind: 'Trunk',
      metadata: { name: 'carrier' },
      spec,
    });
    expect(errors.some((error) => error.startsWith(`${path} `))).toBe(true);
  });

  it.each([
    ['an unnamed group trunk', withSpec({ trunks: [{ host: 'h.example' }] }), '/spec/trunks/0'],
    [
      'an unknown group trunk field',
      withSpec({ trunks: [{ name: 'c', host: 'h.example', proxy: 'x' }] }),
      '/spec/trunks/0',
    ],
    [
      'an unknown presentation',
      withUser((user) => (user.presentation = 'hidden')),
      '/spec/users/2/presentation',
    ],
  ])('refuses a Group with %s', (_name, document, path) => {
    const errors = errorsOf(document);
    expect(errors.some((error) => error.startsWith(`${path} `))).toBe(true);
  });

  it.each([
    ['an unknown profile', withUser((user) => (user.profile = 'gold')), '/spec/users/2/profile'],
    ['an unknown user field', withUser((user) => (user.shoeSize = 44)), '/spec/users/2'],
    [
      'an extension starting with 0',
      withUser((user) => (user.extension = '0203')),
      '/spec/users/2/extension',
    ],
    [
      'an extension written as a number',
      withUser((user) => (user.extension = 203)),
      '/spec/users/2/extension',
    ],
    [
      'a number not in E.164',
      withUser((user) => (user.numbers = ['020 1234567'])),
      '/spec/users/2/numbers/0',
    ],
    [
      'an unknown device kind',
      withUser((user) => (user.devices = [{ username: 'c', kind: 'fax' }])),
      '/spec/users/2/devices/0/kind',
    ],
    ['another apiVersion', { ...acme(), apiVersion: 'pbx/v2' }, '/apiVersion'],
    ['a capitalised name', { ...acme(), metadata: { name: 'Acme' } }, '/metadata/name'],
    ['an unknown kind', { ...acme(), kind: 'Company' }, '/kind'],
    [
      'an enterprise name that is not a name',
      withSpec({ enterprise: 'Holding BV' }),
      '/spec/enterprise',
    ],
    ['an unknown top-level field', { ...acme(), status: {} }, ''],
    [
      'days in a holidays schedule',
      withSpec({ schedules: [{ name: 'h', type: 'holidays', dates: [], days: {} }] }),
      '/spec/schedules/0/days',
    ],
    [
      'a business-hours schedule without days',
      withSpec({ schedules: [{ name: 'office', type: 'business-hours' }] }),
      '/spec/schedules/0',
    ],
    ['a group without users', withSpec({ users: undefined }), '/spec'],
    [
      'an unknown hunt group policy',
      withSpec({ huntGroups: [{ extension: '600', name: 'S', policy: 'random' }] }),
      '/spec/huntGroups/0/policy',
    ],
    [
      'a hunt group without a policy',
      withSpec({ huntGroups: [{ extension: '600', name: 'S', members: [] }] }),
      '/spec/huntGroups/0',
    ],
  ])('refuses %s', (_name, document, path) => {
    const errors = errorsOf(document);
    expect(errors.some((error) => error.startsWith(`${path} `))).toBe(true);
  });
});
