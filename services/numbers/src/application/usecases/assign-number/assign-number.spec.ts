import type { Principal } from '@pbx/platform';
import { NumbersErrorCode } from '../../../domain/numbers.error';
import { codeOf, numbersFixture, OPERATOR, orderOf } from '../../numbers.spec-helper';
import { CompleteOrderCommand } from '../complete-order/complete-order.command';
import { UnassignNumberCommand } from '../unassign-number/unassign-number.command';
import { AssignNumberCommand } from './assign-number.command';

const BLOCK = 'numberblock-31201234500-100';
const user201 = { type: 'user', groupId: 'main', id: '201' };

const assignment = (number: string, target: unknown, version?: number): AssignNumberCommand =>
  AssignNumberCommand.create(BLOCK, { number, target }, version);

async function activeBlock() {
  const fixture = numbersFixture();
  await fixture.order.execute(orderOf());
  await fixture.complete.execute(CompleteOrderCommand.create(BLOCK, {}));
  return fixture;
}

describe(AssignNumberCommand.name, () => {
  it.each<[unknown, unknown]>([
    [
      { type: 'group', groupId: 'main' },
      { type: 'group', groupId: 'main' },
    ],
    [
      { type: 'department', groupId: 'main', id: 'sales' },
      { type: 'department', groupId: 'main', departmentId: 'sales' },
    ],
    [user201, { type: 'user', groupId: 'main', userId: '201' }],
  ])('reads the target %p', (target, expected) => {
    expect(assignment('+31201234501', target).target).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['a user without its id', { type: 'user', groupId: 'main' }],
    ['a group with an id', { type: 'group', groupId: 'main', id: 'x' }],
    ['an unknown type', { type: 'trunk', groupId: 'main' }],
    ['a label (not kept by the events)', { ...user201, label: 'Reception' }],
  ])('refuses %s', (_, target) => {
    expect(() => assignment('+31201234501', target)).toThrow(
      expect.objectContaining({ code: NumbersErrorCode.InvalidRequest }),
    );
  });
});

describe('AssignNumberUseCase', () => {
  it('assigns a number, and refuses it to a second target', async () => {
    const { assign } = await activeBlock();
    const done = await assign.execute(OPERATOR, assignment('+31 20 123 4501', user201));
    expect(done).toEqual({
      blockId: BLOCK,
      number: '+31201234501',
      target: user201,
      version: 3,
    });
    expect(
      await codeOf(
        assign.execute(OPERATOR, assignment('+31201234501', { type: 'group', groupId: 'main' })),
      ),
    ).toBe(NumbersErrorCode.NumberAlreadyAssigned);
    expect((await assign.execute(OPERATOR, assignment('+31201234501', user201))).version).toBe(3);
  });

  it("lets a tenant's admins assign, a group admin within their group, and hides other tenants' blocks", async () => {
    const { assign, unassign } = await activeBlock();
    const enterprise: Principal = { role: 'enterprise-admin', tenantId: 'acme' };
    const groupAdmin: Principal = { role: 'group-admin', tenantId: 'acme', groupId: 'main' };
    const stranger: Principal = { role: 'enterprise-admin', tenantId: 'other' };
    await assign.execute(
      enterprise,
      assignment('+31201234502', { type: 'group', groupId: 'north' }),
    );
    await assign.execute(groupAdmin, assignment('+31201234503', user201));
    expect(
      await codeOf(
        assign.execute(groupAdmin, assignment('+31201234504', { type: 'group', groupId: 'north' })),
      ),
    ).toBe(NumbersErrorCode.Forbidden);
    expect(
      await codeOf(
        unassign.execute(groupAdmin, UnassignNumberCommand.create(BLOCK, '+31201234502')),
      ),
    ).toBe(NumbersErrorCode.Forbidden);
    expect(await codeOf(assign.execute(stranger, assignment('+31201234505', user201)))).toBe(
      NumbersErrorCode.BlockNotFound,
    );
    expect(
      await codeOf(unassign.execute(stranger, UnassignNumberCommand.create(BLOCK, '+31201234503'))),
    ).toBe(NumbersErrorCode.BlockNotFound);
    await unassign.execute(groupAdmin, UnassignNumberCommand.create(BLOCK, '+31201234503'));
  });

  it('refuses a number outside the block and a block still on order', async () => {
    const { assign, order } = await activeBlock();
    expect(await codeOf(assign.execute(OPERATOR, assignment('+31201234600', user201)))).toBe(
      NumbersErrorCode.NumberNotInBlock,
    );
    await order.execute(orderOf({ first: '+31201234600' }));
    expect(
      await codeOf(
        assign.execute(
          OPERATOR,
          AssignNumberCommand.create('numberblock-31201234600-100', {
            number: '+31201234601',
            target: user201,
          }),
        ),
      ),
    ).toBe(NumbersErrorCode.InvalidOrderState);
  });
});
