import { create, toBinary } from '@bufbuild/protobuf';
import {
  GroupCreatedSchema,
  GroupDeletedSchema,
  HuntGroupAddedSchema,
  UserChangedSchema,
  UserNumbersChangedSchema,
  UserRemovedSchema,
} from '@pbx/proto';
import { groupNumbersChangeOf, targetOf } from './group-config-numbers';

describe('groupNumbersChangeOf', () => {
  it('reads the numbers each kind of owner uses', () => {
    const created = create(GroupCreatedSchema, { groupId: 'acme', mainNumber: '+31201234500' });
    expect(
      groupNumbersChangeOf(GroupCreatedSchema.typeName, toBinary(GroupCreatedSchema, created)),
    ).toEqual({ kind: 'set', group: 'acme', owner: 'group', numbers: ['+31201234500'] });
    const changed = create(UserNumbersChangedSchema, {
      groupId: 'acme',
      extension: '201',
      numbers: ['+31201234501', '+31201234501', 'not a number'],
    });
    expect(
      groupNumbersChangeOf(
        UserNumbersChangedSchema.typeName,
        toBinary(UserNumbersChangedSchema, changed),
      ),
    ).toEqual({ kind: 'set', group: 'acme', owner: 'user:201', numbers: ['+31201234501'] });
    const removed = create(UserRemovedSchema, { groupId: 'acme', extension: '201' });
    expect(
      groupNumbersChangeOf(UserRemovedSchema.typeName, toBinary(UserRemovedSchema, removed)),
    ).toEqual({
      kind: 'set',
      group: 'acme',
      owner: 'user:201',
      numbers: [],
    });
    const hunt = create(HuntGroupAddedSchema, { groupId: 'acme', extension: '600' });
    expect(
      groupNumbersChangeOf(HuntGroupAddedSchema.typeName, toBinary(HuntGroupAddedSchema, hunt)),
    ).toEqual({
      kind: 'set',
      group: 'acme',
      owner: 'hunt-group:600',
      numbers: [],
    });
    const deleted = create(GroupDeletedSchema, { groupId: 'acme' });
    expect(
      groupNumbersChangeOf(GroupDeletedSchema.typeName, toBinary(GroupDeletedSchema, deleted)),
    ).toEqual({
      kind: 'deleted',
      group: 'acme',
    });
  });

  it('ignores events without numbers', () => {
    const changed = create(UserChangedSchema, { groupId: 'acme', extension: '201' });
    expect(
      groupNumbersChangeOf(UserChangedSchema.typeName, toBinary(UserChangedSchema, changed)),
    ).toBeUndefined();
  });
});

describe('targetOf', () => {
  it('assigns a hunt group’s number to its group', () => {
    expect(targetOf('acme', 'group')).toEqual({ type: 'group', groupId: 'acme' });
    expect(targetOf('acme', 'hunt-group:600')).toEqual({ type: 'group', groupId: 'acme' });
    expect(targetOf('acme', 'user:201')).toEqual({ type: 'user', groupId: 'acme', userId: '201' });
    expect(targetOf('acme', 'department:Sales')).toEqual({
      type: 'department',
      groupId: 'acme',
      departmentId: 'Sales',
    });
  });
});
