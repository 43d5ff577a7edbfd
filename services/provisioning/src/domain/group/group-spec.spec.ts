import { parse } from 'yaml';
import { acmeInput, ACME_YAML, edited, problemsOf, validSpec } from './group.fixtures';
import { checkGroupName, validateGroupSpec } from './group-spec';

const acmeWith = (changes: Record<string, unknown>): Record<string, unknown> =>
  edited(acmeInput(), changes);

describe(validateGroupSpec.name, () => {
  it('accepts the acme manifest as YAML, with defaults filled in', () => {
    const manifest = parse(ACME_YAML) as { spec: unknown };
    expect(manifest.spec).toEqual(acmeInput());
    const spec = validSpec(manifest.spec);
    expect(spec).toEqual({
      domain: 'acme.example',
      timezone: 'Europe/Amsterdam',
      mainNumber: '+31201234500',
      departments: [],
      schedules: [],
      trunks: [],
      users: [
        {
          extension: '201',
          name: 'Alice Jansen',
          email: 'alice@acme.example',
          profile: 'premium',
          numbers: ['+31201234501'],
          devices: [
            { username: 'alice', password: 's3cret-Alice', kind: 'softphone', flexHost: false },
          ],
        },
        {
          extension: '202',
          name: 'Bob de Vries',
          email: 'bob@acme.example',
          profile: 'business',
          numbers: [],
          devices: [
            { username: 'bob', password: 's3cret-Bob', kind: 'deskphone', flexHost: false },
            {
              username: 'bob-mobile',
              password: 's3cret-Bob2',
              kind: 'softphone',
              flexHost: false,
            },
          ],
        },
        {
          extension: '203',
          name: 'Carol Smit',
          profile: 'base',
          numbers: [],
          devices: [
            { username: 'carol', password: 's3cret-Carol', kind: 'deskphone', flexHost: false },
          ],
        },
      ],
      huntGroups: [
        { extension: '600', name: 'Sales', policy: 'circular', members: ['201', '202'] },
      ],
    });
  });

  it('normalises the domain to lowercase, trims names and corrects time zone case', () => {
    const spec = validSpec(
      acmeWith({
        domain: 'ACME.Example',
        timezone: 'europe/amsterdam',
        'users[0].name': '  Alice Jansen ',
      }),
    );
    expect([spec.domain, spec.timezone, spec.users[0].name]).toEqual([
      'acme.example',
      'Europe/Amsterdam',
      'Alice Jansen',
    ]);
  });

  it('accepts a device without password (an existing device keeps its credentials)', () => {
    const spec = validSpec(acmeWith({ 'users[0].devices[0].password': undefined }));
    expect(spec.users[0].devices[0]).toEqual({
      username: 'alice',
      kind: 'softphone',
      flexHost: false,
    });
  });

  it('accepts departments, schedules, flex hosts and every device kind and policy', () => {
    const spec = validSpec(
      acmeWith({
        departments: [{ name: 'Support', number: '+31201234590' }, { name: 'Sales' }],
        'users[0].department': 'Support',
        'users[1].devices[0].flexHost': true,
        'users[1].devices[1].kind': 'mobile',
        'users[2].devices[0].kind': 'webrtc',
        'huntGroups[0].policy': 'uniform',
        'huntGroups[0].number': '+31201234560',
        'huntGroups[1]': { extension: '601', name: 'All', policy: 'simultaneous', members: [] },
        'huntGroups[2]': { extension: '602', name: 'Desk', policy: 'regular', members: ['203'] },
        schedules: [
          {
            name: 'office',
            type: 'business-hours',
            days: { mon: ['13:00-17:30', '08:30-12:00'], fri: ['08:30-24:00'], sun: [] },
          },
          { name: 'closed', type: 'holidays', dates: ['2025-12-26', '2025-12-25', '2024-02-29'] },
        ],
      }),
    );
    expect(spec.departments).toEqual([
      { name: 'Support', number: '+31201234590' },
      { name: 'Sales' },
    ]);
    expect(spec.users[0].department).toBe('Support');
    expect(spec.users[1].devices.map((d) => [d.kind, d.flexHost])).toEqual([
      ['deskphone', true],
      ['mobile', false],
    ]);
    expect(spec.huntGroups.map((h) => h.policy)).toEqual(['uniform', 'simultaneous', 'regular']);
    expect(spec.schedules).toEqual([
      {
        name: 'office',
        type: 'business-hours',
        days: { mon: ['08:30-12:00', '13:00-17:30'], fri: ['08:30-24:00'] },
      },
      { name: 'closed', type: 'holidays', dates: ['2024-02-29', '2025-12-25', '2025-12-26'] },
    ]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an unknown profile',
      { 'users[2].profile': 'gold' },
      [
        'users[2].profile: unknown profile "gold"; expected one of base, business, premium, fixed-mobile-business, fixed-mobile-premium',
      ],
    ],
    [
      'a duplicate extension',
      { 'users[1].extension': '201' },
      [
        'users[1].extension: "201" is already used by users[0]',
        'huntGroups[0].members[1]: no user with extension "202"',
      ],
    ],
    [
      'a hunt group member who is not a user',
      { 'huntGroups[0].members[1]': '299' },
      ['huntGroups[0].members[1]: no user with extension "299"'],
    ],
    [
      'a member listed twice',
      { 'huntGroups[0].members[2]': '201' },
      ['huntGroups[0].members[2]: "201" is listed twice'],
    ],
    [
      'a hunt group on a user extension',
      { 'huntGroups[0].extension': '203' },
      ['huntGroups[0].extension: "203" is already used by users[2]'],
    ],
    [
      'an invalid main number',
      { mainNumber: '+3120' },
      ['mainNumber: "+3120" is not a valid phone number'],
    ],
    [
      'a main number not in E.164 form',
      { mainNumber: '020 123 4500' },
      [
        'mainNumber: "020 123 4500" is not a valid phone number; write it in E.164 form such as +31201234500',
      ],
    ],
    [
      'an unquoted number (YAML turns it into a number)',
      { mainNumber: 31201234500 },
      ['mainNumber: must be a string; quote it in YAML'],
    ],
    [
      'a number used twice by users',
      { 'users[1].numbers': ['+31201234501'] },
      ['users[1].numbers[0]: "+31201234501" is already used by users[0]'],
    ],
    [
      'a user number equal to the main number',
      { 'users[0].numbers[1]': '+31201234500' },
      ['users[0].numbers[1]: "+31201234500" is already used by mainNumber'],
    ],
    [
      'a department number used by a hunt group',
      {
        departments: [{ name: 'Support', number: '+31201234590' }],
        'huntGroups[0].number': '+31201234590',
      },
      ['huntGroups[0].number: "+31201234590" is already used by departments[0]'],
    ],
    [
      'one user (T6)',
      { users: [(acmeInput().users as unknown[])[0]], huntGroups: [] },
      ['users: a PBX needs at least 2 user profiles, found 1'],
    ],
    [
      'no users (T6)',
      { users: [], huntGroups: [] },
      ['users: a PBX needs at least 2 user profiles, found 0'],
    ],
    [
      'an extension with a leading 0',
      { 'users[2].extension': '0203' },
      ['users[2].extension: "0203" must be 2-6 digits not starting with 0'],
    ],
    [
      'a one-digit extension',
      { 'users[2].extension': '7' },
      ['users[2].extension: "7" must be 2-6 digits not starting with 0'],
    ],
    [
      'a seven-digit extension',
      { 'users[2].extension': '1234567' },
      ['users[2].extension: "1234567" must be 2-6 digits not starting with 0'],
    ],
    [
      'a feature code as extension',
      { 'users[2].extension': '*72' },
      [
        'users[2].extension: "*72" is a feature code; extensions are 2-6 digits not starting with 0',
      ],
    ],
    [
      'the emergency number as extension',
      { 'users[2].extension': '112' },
      ['users[2].extension: "112" is reserved for emergency calls (G12)'],
    ],
    [
      'an unquoted extension',
      { 'users[2].extension': 203 },
      ['users[2].extension: must be a string; quote it in YAML'],
    ],
    [
      'an upper-case device username',
      { 'users[0].devices[0].username': 'Alice' },
      [
        'users[0].devices[0].username: "Alice" must be 1-64 lowercase letters, digits, ".", "-" or "_"',
      ],
    ],
    [
      'a device username with a blank',
      { 'users[0].devices[0].username': 'al ice' },
      [
        'users[0].devices[0].username: "al ice" must be 1-64 lowercase letters, digits, ".", "-" or "_"',
      ],
    ],
    [
      'a device username of 65 characters',
      { 'users[0].devices[0].username': 'a'.repeat(65) },
      [
        `users[0].devices[0].username: "${'a'.repeat(65)}" must be 1-64 lowercase letters, digits, ".", "-" or "_"`,
      ],
    ],
    [
      'a device username used twice',
      { 'users[2].devices[0].username': 'bob' },
      ['users[2].devices[0].username: "bob" is already used by users[1].devices[0]'],
    ],
    [
      'a short password',
      { 'users[0].devices[0].password': 'short' },
      ['users[0].devices[0].password: must be 8-128 characters'],
    ],
    [
      'a long password',
      { 'users[0].devices[0].password': 'x'.repeat(129) },
      ['users[0].devices[0].password: must be 8-128 characters'],
    ],
    [
      'a password equal to the username',
      { 'users[1].devices[1].password': 'bob-mobile' },
      ['users[1].devices[1].password: must not equal the username'],
    ],
    [
      'a password with a control character',
      { 'users[0].devices[0].password': 'secret\npassword' },
      ['users[0].devices[0].password: must not contain control characters'],
    ],
    [
      'an unknown device kind',
      { 'users[0].devices[0].kind': 'fax' },
      [
        'users[0].devices[0].kind: unknown kind "fax"; expected one of deskphone, softphone, mobile, webrtc',
      ],
    ],
    [
      'a flexHost that is not a boolean',
      { 'users[0].devices[0].flexHost': 'yes' },
      ['users[0].devices[0].flexHost: must be true or false'],
    ],
    [
      'an invalid e-mail address',
      { 'users[0].email': 'alice-at-acme' },
      ['users[0].email: "alice-at-acme" is not an e-mail address'],
    ],
    [
      'an empty user name',
      { 'users[0].name': '  ' },
      ['users[0].name: must be 1-100 printable characters'],
    ],
    [
      'a user name of 101 characters',
      { 'users[0].name': 'x'.repeat(101) },
      ['users[0].name: must be 1-100 printable characters'],
    ],
    [
      'a hunt group name with a control character',
      { 'huntGroups[0].name': 'Sa\u0000les' },
      ['huntGroups[0].name: must be 1-100 printable characters'],
    ],
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus_Mons' },
      ['timezone: "Mars/Olympus_Mons" is not an IANA time zone such as Europe/Amsterdam'],
    ],
    [
      'a fixed offset instead of a time zone',
      { timezone: '+01:00' },
      ['timezone: "+01:00" is not an IANA time zone such as Europe/Amsterdam'],
    ],
    [
      'a domain that is no DNS name',
      { domain: 'acme' },
      ['domain: "acme" is not a DNS name such as acme.example'],
    ],
    [
      'an unknown hunt group policy',
      { 'huntGroups[0].policy': 'random' },
      [
        'huntGroups[0].policy: unknown policy "random"; expected one of simultaneous, regular, circular, uniform',
      ],
    ],
    [
      'a misspelt field',
      { 'users[0].profil': 'base' },
      ['users[0].profil: unknown field; did you mean "profile"?'],
    ],
    ['an unknown field', { 'users[0].colour': 'red' }, ['users[0].colour: unknown field']],
    [
      'a misspelt top-level field',
      { huntgroups: [] },
      ['huntgroups: unknown field; did you mean "huntGroups"?'],
    ],
    [
      'missing required fields',
      { domain: undefined, 'users[0].profile': undefined, 'users[1].devices[0].kind': undefined },
      ['domain: required', 'users[0].profile: required', 'users[1].devices[0].kind: required'],
    ],
    [
      'users that are not a list',
      { users: 'alice' },
      [
        'users: must be a list',
        'huntGroups[0].members[0]: no user with extension "201"',
        'huntGroups[0].members[1]: no user with extension "202"',
      ],
    ],
    [
      'a duplicate department',
      { departments: [{ name: 'Sales' }, { name: 'Sales' }] },
      ['departments[1].name: "Sales" is already used by departments[0]'],
    ],
    [
      'a user in an unknown department',
      { 'users[0].department': 'Marketing' },
      ['users[0].department: no department named "Marketing"'],
    ],
    [
      'a business-hours interval ending before it starts',
      { schedules: [{ name: 'office', type: 'business-hours', days: { mon: ['17:00-09:00'] } }] },
      ['schedules[0].days.mon[0]: "17:00-09:00" must be HH:MM-HH:MM with the start before the end'],
    ],
    [
      'a malformed interval',
      { schedules: [{ name: 'office', type: 'business-hours', days: { tue: ['9:00-17:00'] } }] },
      ['schedules[0].days.tue[0]: "9:00-17:00" must be HH:MM-HH:MM with the start before the end'],
    ],
    [
      'overlapping intervals',
      {
        schedules: [
          { name: 'office', type: 'business-hours', days: { mon: ['08:30-12:00', '11:00-14:00'] } },
        ],
      },
      ['schedules[0].days.mon[1]: "11:00-14:00" overlaps "08:30-12:00"'],
    ],
    [
      'an unknown weekday',
      { schedules: [{ name: 'office', type: 'business-hours', days: { mo: ['08:00-17:00'] } }] },
      ['schedules[0].days.mo: unknown field; did you mean "mon"?'],
    ],
    [
      'a date that does not exist',
      { schedules: [{ name: 'closed', type: 'holidays', dates: ['2025-02-30'] }] },
      ['schedules[0].dates[0]: "2025-02-30" is not a date in the form YYYY-MM-DD'],
    ],
    [
      'a date listed twice',
      { schedules: [{ name: 'closed', type: 'holidays', dates: ['2025-12-25', '2025-12-25'] }] },
      ['schedules[0].dates[1]: "2025-12-25" is listed twice'],
    ],
    [
      'days on a holiday schedule',
      { schedules: [{ name: 'closed', type: 'holidays', dates: [], days: {} }] },
      ['schedules[0].days: only a business-hours schedule has days'],
    ],
    [
      'a business-hours schedule without days, but with dates',
      { schedules: [{ name: 'office', type: 'business-hours', dates: [] }] },
      ['schedules[0].days: required', 'schedules[0].dates: only a holidays schedule has dates'],
    ],
    [
      'the voice portal code as a hunt group extension',
      { 'huntGroups[0].extension': '1233' },
      ['huntGroups[0].extension: "1233" is reserved for the voice portal (G11)'],
    ],
    [
      'an unknown schedule type',
      { schedules: [{ name: 'x', type: 'night' }] },
      ['schedules[0].type: unknown type "night"; expected one of business-hours, holidays'],
    ],
    [
      'two schedules with one name',
      {
        schedules: [
          { name: 'closed', type: 'holidays', dates: [] },
          { name: 'closed', type: 'holidays', dates: [] },
        ],
      },
      ['schedules[1].name: "closed" is already used by schedules[0]'],
    ],
  ])('refuses %s', (_, changes, expected) => {
    expect(problemsOf(acmeWith(changes))).toEqual(expected);
  });

  it('reports every problem at once, in document order', () => {
    expect(
      problemsOf(
        acmeWith({
          mainNumber: '+3120',
          'users[0].profil': 'premium',
          'users[1].extension': '201',
          'users[2].profile': 'gold',
          'huntGroups[0].members[1]': '299',
        }),
      ),
    ).toEqual([
      'mainNumber: "+3120" is not a valid phone number',
      'users[0].profil: unknown field; did you mean "profile"?',
      'users[1].extension: "201" is already used by users[0]',
      'users[2].profile: unknown profile "gold"; expected one of base, business, premium, fixed-mobile-business, fixed-mobile-premium',
      'huntGroups[0].members[1]: no user with extension "299"',
    ]);
  });

  it('never echoes a password in a problem', () => {
    const problems = problemsOf(acmeWith({ 'users[0].devices[0].password': 'tiny' }));
    expect(problems.join('\n')).not.toContain('tiny');
  });

  it('refuses something that is not an object', () => {
    expect(problemsOf('users: []')).toEqual(['spec: must be an object']);
    expect(validateGroupSpec(null)).toEqual({
      ok: false,
      problems: [{ path: 'spec', message: 'must be an object' }],
    });
  });
});

describe(checkGroupName.name, () => {
  it('accepts a DNS-label-like resource name and refuses others', () => {
    expect(checkGroupName('acme')).toBeUndefined();
    expect(checkGroupName('acme-2')).toBeUndefined();
    expect(checkGroupName('Acme Corp')).toEqual({
      path: 'metadata.name',
      message:
        '"Acme Corp" must be 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit, such as acme',
    });
  });
});

describe('validateGroupSpec: enterprise', () => {
  it('keeps a valid enterprise name and refuses another', () => {
    expect(validSpec({ ...acmeInput(), enterprise: 'holding' }).enterprise).toBe('holding');
    expect(validSpec(acmeInput()).enterprise).toBeUndefined();
    expect(problemsOf({ ...acmeInput(), enterprise: 'Holding BV' })).toEqual([
      'enterprise: "Holding BV" is not an enterprise name: 1-63 lowercase letters, digits or "-", such as holding',
    ]);
  });
});
