import { platformDirectory, trunk } from '../dial-plan/dial-plan.spec-helper';

describe('DirectoryIndex', () => {
  it('keeps a number that moves to another user within a batch, whatever the order', () => {
    // Carol's number goes to a new user first, then Carol lets go of it.
    const index = platformDirectory([
      {
        kind: 'user-set',
        user: {
          groupId: 'globex',
          extension: '302',
          name: 'Dan',
          numbers: ['+31104567801'],
          presentationRestricted: false,
        },
      },
      { kind: 'user-numbers', groupId: 'globex', extension: '301', numbers: [] },
    ]);
    expect(index.ownerOfNumber('+31104567801')).toEqual({
      kind: 'user',
      groupId: 'globex',
      extension: '302',
    });
  });

  it('forgets a removed user, their numbers and a changed main number', () => {
    const index = platformDirectory([
      { kind: 'user-removed', groupId: 'acme-hq', extension: '201' },
      {
        kind: 'group-set',
        group: {
          groupId: 'acme-hq',
          tenantId: 'acme',
          domain: 'acme.example',
          timezone: 'Europe/Amsterdam',
          mainNumber: '+31201234599',
          country: 'NL',
        },
      },
    ]);
    expect(index.user('acme-hq', '201')).toBeUndefined();
    expect(index.ownerOfNumber('+31201234501')).toBeUndefined();
    expect(index.ownerOfNumber('+31201234500')).toBeUndefined();
    expect(index.ownerOfNumber('+31201234599')).toEqual({ kind: 'main', groupId: 'acme-hq' });
    // The group's other content survives a settings change.
    expect(index.user('acme-hq', '202')?.name).toBe('Bob de Vries');
  });

  it('keeps a device in place when it is changed and moves it when its owner changes', () => {
    const index = platformDirectory([
      {
        kind: 'device-set',
        device: { groupId: 'acme-hq', username: 'alice-desk', ownerExtension: '201' },
      },
    ]);
    expect(index.devicesOf('acme-hq', '201')).toEqual(['alice-desk', 'alice-soft']);
    index.apply({
      kind: 'device-set',
      device: { groupId: 'acme-hq', username: 'alice-desk', ownerExtension: '202' },
    });
    expect(index.devicesOf('acme-hq', '201')).toEqual(['alice-soft']);
    expect(index.devicesOf('acme-hq', '202')).toEqual(['bob-desk', 'alice-desk']);
  });

  it('drops everything of a deleted group, its trunks included', () => {
    const index = platformDirectory([
      { kind: 'trunk-set', trunk: trunk('kpn', { tenantId: 'acme', groupId: 'acme-hq' }) },
      { kind: 'trunk-set', trunk: trunk('wholesale', 'operator') },
      { kind: 'group-deleted', groupId: 'acme-hq' },
    ]);
    expect(index.group('acme-hq')).toBeUndefined();
    expect(index.ownerOfNumber('+31201234560')).toBeUndefined();
    expect(index.ownerOfNumber('+31104567801')).toBeDefined();
    expect(index.allTrunks().map((t) => t.trunkId)).toEqual(['operator:wholesale']);
    expect(index.groupTrunks('acme-hq')).toEqual([]);
  });
});
