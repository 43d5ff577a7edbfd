import { childPath, parsePath } from './document-path';

describe(parsePath.name, () => {
  it('reads keys, indexes and matches', () => {
    expect(parsePath('spec.users[2].profile')).toEqual([
      { kind: 'key', key: 'spec' },
      { kind: 'key', key: 'users' },
      { kind: 'index', index: 2 },
      { kind: 'key', key: 'profile' },
    ]);
    expect(parsePath('spec.users[extension=204].devices[0]')).toEqual([
      { kind: 'key', key: 'spec' },
      { kind: 'key', key: 'users' },
      { kind: 'match', field: 'extension', value: '204' },
      { kind: 'key', key: 'devices' },
      { kind: 'index', index: 0 },
    ]);
  });

  it('unquotes a matched value', () => {
    expect(parsePath('users[name="Bob de Vries"]')[1]).toEqual({
      kind: 'match',
      field: 'name',
      value: 'Bob de Vries',
    });
  });

  it('reads nothing of an empty path and stops at what it cannot read', () => {
    expect(parsePath('')).toEqual([]);
    expect(parsePath('spec.users[]')).toEqual([
      { kind: 'key', key: 'spec' },
      { kind: 'key', key: 'users' },
    ]);
  });
});

describe(childPath.name, () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(childPath('', 'spec')).toBe('spec');
    expect(childPath('spec', 'users')).toBe('spec.users');
    expect(childPath('spec.users', 2)).toBe('spec.users[2]');
  });
});
