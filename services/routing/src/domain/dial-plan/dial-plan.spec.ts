import type { RouteDecision } from '@pbx/telephony';
import { planRoute } from './dial-plan';
import { fromDevice, fromTrunk, platformDirectory, trunk } from './dial-plan.spec-helper';

const options = { noAnswerTimeoutS: 45 };
const ACME_TRUNK = trunk('kpn', { tenantId: 'acme', groupId: 'acme-hq' });
const OPERATOR_TRUNK = trunk('wholesale', 'operator');

function connected(decision: RouteDecision): Extract<RouteDecision, { kind: 'connect' }> {
  if (decision.kind !== 'connect')
    throw new Error(`expected connect, got ${JSON.stringify(decision)}`);
  return decision;
}

describe(planRoute.name, () => {
  const directory = platformDirectory();

  describe('calls from a device', () => {
    it('rings every device of a colleague dialed by extension, showing the extension and name', () => {
      const plan = planRoute(directory, fromDevice('202'), options);
      const decision = connected(plan.decision);
      expect(decision.callee).toEqual({
        kind: 'user',
        tenantId: 'acme',
        groupId: 'acme-hq',
        userId: '202',
        displayName: 'Bob de Vries',
        extension: '202',
        devices: [{ deviceId: 'acme-hq:bob-desk', sipUser: 'bob-desk', domain: 'acme.example' }],
      });
      expect(decision.caller).toEqual({
        number: '201',
        displayName: 'Alice Jansen',
        restricted: false,
      });
      expect(decision.noAnswerTimeoutS).toBe(45);
      expect(plan.direction).toBe('internal');
      expect(plan.tenantId).toBe('acme');
    });

    it('keeps presenting the extension inside the group even when the caller withholds their id', () => {
      const plan = planRoute(
        directory,
        fromDevice('201', { userId: '202', deviceId: 'bob-desk' }),
        options,
      );
      expect(connected(plan.decision).caller).toEqual({
        number: '202',
        displayName: 'Bob de Vries',
        restricted: false,
      });
      expect(plan.presentationRestricted).toBe(false);
    });

    it('strips visual separators from what was dialed', () => {
      const plan = planRoute(directory, fromDevice('+31 (10) 456-78.01'), options);
      expect(connected(plan.decision).callee).toMatchObject({ kind: 'user', userId: '301' });
    });

    it.each([
      ['E.164', '+31104567801'],
      ['national', '0104567801'],
      ['00-international', '0031104567801'],
    ])('reaches a user of another tenant on-net by their %s number', (_kind, dialed) => {
      const plan = planRoute(directory, fromDevice(dialed), options);
      const decision = connected(plan.decision);
      expect(decision.callee).toMatchObject({
        kind: 'user',
        tenantId: 'globex-tenant',
        groupId: 'globex',
        userId: '301',
        devices: [{ deviceId: 'globex:carol', sipUser: 'carol', domain: 'globex.example' }],
      });
      // Out of the group the caller is shown by their own number.
      expect(decision.caller).toEqual({
        number: '+31201234501',
        displayName: 'Alice Jansen',
        restricted: false,
      });
      expect(plan.callee).toMatchObject({ number: '+31104567801', tenantId: 'globex-tenant' });
    });

    it('withholds the caller id for one call dialed with *31* (and its alias #31#)', () => {
      for (const prefix of ['*31*', '#31#']) {
        const plan = planRoute(directory, fromDevice(`${prefix}0104567801`), options);
        expect(connected(plan.decision).caller).toEqual({ restricted: true });
        expect(plan.presentationRestricted).toBe(true);
      }
    });

    it('withholds the caller id of a user whose setting says so, unless *31# presents it', () => {
      const bob = { userId: '202', deviceId: 'bob-desk' };
      const withheld = planRoute(directory, fromDevice('+31104567801', bob), options);
      expect(connected(withheld.decision).caller).toEqual({ restricted: true });
      const presented = planRoute(directory, fromDevice('*31#+31104567801', bob), options);
      expect(connected(presented.decision).caller).toEqual({
        number: '+31201234502',
        displayName: 'Bob de Vries',
        restricted: false,
      });
    });

    it('answers 404 for an extension nobody has', () => {
      const plan = planRoute(directory, fromDevice('299'), options);
      expect(plan.decision).toEqual({
        kind: 'reject',
        status: 404,
        cause: 'not-found',
        reason: 'group acme-hq has no extension 299',
      });
      expect(plan.callee).toEqual({ groupId: 'acme-hq', extension: '299' });
    });

    it("does not reach another group's extension by extension", () => {
      expect(planRoute(directory, fromDevice('301'), options).decision).toMatchObject({
        kind: 'reject',
        status: 404,
      });
    });

    it('answers 484 when nothing but the access code was dialed, 404 for letters', () => {
      expect(planRoute(directory, fromDevice('*31*'), options).decision).toMatchObject({
        status: 484,
      });
      expect(planRoute(directory, fromDevice('alice'), options).decision).toMatchObject({
        status: 404,
      });
    });

    it('answers 480 for hunt groups, department numbers and the main number (no destination yet)', () => {
      for (const dialed of ['600', '+31201234560', '+31201234570', '+31201234500']) {
        expect(planRoute(directory, fromDevice(dialed), options).decision).toMatchObject({
          kind: 'reject',
          status: 480,
          cause: 'unavailable',
        });
      }
    });

    it('answers 480 when the callee has no device', () => {
      const index = platformDirectory([
        { kind: 'device-removed', groupId: 'acme-hq', username: 'bob-desk' },
      ]);
      expect(planRoute(index, fromDevice('202'), options).decision).toMatchObject({ status: 480 });
    });

    it("sends an outside number through the group's own trunk, presenting the user's number", () => {
      const index = platformDirectory([
        { kind: 'trunk-set', trunk: ACME_TRUNK },
        { kind: 'trunk-set', trunk: OPERATOR_TRUNK },
      ]);
      const plan = planRoute(index, fromDevice('06-12345678'), options);
      const decision = connected(plan.decision);
      expect(decision.callee).toMatchObject({
        kind: 'trunk',
        number: '+31612345678',
        trunk: { trunkId: 'group:acme-hq:kpn', host: 'kpn.carrier.example' },
      });
      expect(decision.caller).toEqual({
        number: '+31201234501',
        displayName: 'Alice Jansen',
        restricted: false,
      });
      expect(plan.direction).toBe('outbound');
      expect(plan.callee).toEqual({ number: '+31612345678', trunkId: 'group:acme-hq:kpn' });
    });

    it('falls back to an operator trunk, and keeps the number for P-Asserted-Identity when withheld', () => {
      const index = platformDirectory([{ kind: 'trunk-set', trunk: OPERATOR_TRUNK }]);
      const plan = planRoute(index, fromDevice('*31*004930 1234 5678'), options);
      const decision = connected(plan.decision);
      expect(decision.callee).toMatchObject({
        kind: 'trunk',
        number: '+493012345678',
        trunk: { trunkId: 'operator:wholesale' },
      });
      expect(decision.caller).toEqual({
        number: '+31201234501',
        displayName: 'Alice Jansen',
        restricted: true,
      });
    });

    it('answers 503 for an outside number when no trunk carries it', () => {
      expect(planRoute(directory, fromDevice('0612345678'), options).decision).toEqual({
        kind: 'reject',
        status: 503,
        cause: 'unavailable',
        reason: 'no trunk carries outside calls for group acme-hq',
      });
    });

    it('answers 404 for a number outside the numbering plan and 484 for a short one', () => {
      const index = platformDirectory([{ kind: 'trunk-set', trunk: OPERATOR_TRUNK }]);
      expect(planRoute(index, fromDevice('+3199'), options).decision).toMatchObject({
        status: 484,
      });
      expect(planRoute(index, fromDevice('+999123456789'), options).decision).toMatchObject({
        status: 404,
      });
    });

    it('answers 403 for a device whose user or group is not provisioned', () => {
      expect(
        planRoute(directory, fromDevice('202', { userId: '299', deviceId: 'x' }), options).decision,
      ).toMatchObject({ status: 403, cause: 'forbidden' });
      expect(
        planRoute(
          directory,
          fromDevice('202', { userId: '201', deviceId: 'x', tenantId: 'globex-tenant' }),
          options,
        ).decision,
      ).toMatchObject({ status: 403 });
    });
  });

  describe('calls from a trunk', () => {
    const index = platformDirectory([
      { kind: 'trunk-set', trunk: ACME_TRUNK },
      { kind: 'trunk-set', trunk: OPERATOR_TRUNK },
    ]);

    it("rings the user a DID is assigned to, presenting the carrier's caller", () => {
      const plan = planRoute(
        index,
        fromTrunk('operator:wholesale', '31201234502', { user: '0612345678', display: 'Dave' }),
        options,
      );
      const decision = connected(plan.decision);
      expect(decision.callee).toMatchObject({ kind: 'user', groupId: 'acme-hq', userId: '202' });
      // An operator trunk has no country: a national From stays as the carrier sent it.
      expect(decision.caller).toEqual({
        number: '0612345678',
        displayName: 'Dave',
        restricted: false,
      });
      expect(plan).toMatchObject({ direction: 'inbound', tenantId: 'acme', groupId: 'acme-hq' });
    });

    it("reads national numbers with the group trunk's country", () => {
      const plan = planRoute(
        index,
        fromTrunk('group:acme-hq:kpn', '0201234501', { user: '0612345678' }),
        options,
      );
      const decision = connected(plan.decision);
      expect(decision.callee).toMatchObject({ userId: '201' });
      expect(decision.caller).toEqual({ number: '+31612345678', restricted: false });
    });

    it('withholds the caller when the carrier sends Privacy: id', () => {
      const plan = planRoute(
        index,
        fromTrunk('operator:wholesale', '+31201234501', { user: '+31612345678', privacy: 'id' }),
        options,
      );
      expect(connected(plan.decision).caller).toEqual({ restricted: true });
      expect(plan.caller).toMatchObject({ number: '+31612345678' });
      expect(plan.presentationRestricted).toBe(true);
    });

    it('answers 404 for a DID that is not assigned, or belongs to another tenant than the trunk', () => {
      expect(
        planRoute(index, fromTrunk('operator:wholesale', '+31201234599'), options).decision,
      ).toMatchObject({ status: 404, cause: 'not-found' });
      expect(
        planRoute(index, fromTrunk('group:acme-hq:kpn', '+31104567801'), options).decision,
      ).toMatchObject({ status: 404 });
    });

    it('answers 403 for a trunk it does not know', () => {
      expect(
        planRoute(index, fromTrunk('operator:gone', '+31201234501'), options).decision,
      ).toMatchObject({
        status: 403,
        cause: 'forbidden',
      });
    });
  });
});
