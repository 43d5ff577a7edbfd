import type { Binding } from './binding';
import type { BindingStore } from './binding-store';

const T0 = Date.UTC(2025, 0, 1, 12);
const AOR = '1001@acme.pbx.example';

/** A binding as the registrar builds it; each test states only what differs. */
export function aBinding(overrides: Partial<Binding> = {}): Binding {
  const contact = overrides.contact ?? 'sip:1001@192.0.2.10:5060';
  return {
    key: `uri ${contact}`,
    contact,
    expiresAt: T0 + 3_600_000,
    q: null,
    callId: 'call-1',
    cseq: 1,
    source: { protocol: 'udp', address: '198.51.100.7', port: 40123 },
    outbound: false,
    userAgent: 'Yealink T54W',
    tenantId: 'tenant-1',
    groupId: 'acme',
    deviceId: 'acme:1001',
    username: '1001',
    domain: 'acme.pbx.example',
    updatedAt: T0,
    ...overrides,
  };
}

/**
 * What every BindingStore adapter owes the registrar (CONVENTIONS.md: one contract suite per
 * port). `factory` returns an empty store per test.
 */
export function describeBindingStoreContract(
  name: string,
  factory: () => BindingStore | Promise<BindingStore>,
): void {
  describe(`${name} (BindingStore contract)`, () => {
    let store: BindingStore;

    beforeEach(async () => {
      store = await factory();
    });

    it('adds a binding and lists it until it expires', async () => {
      const binding = aBinding();
      const result = await store.upsert(AOR, binding, T0, 10);
      expect(result).toMatchObject({ status: 'ok', added: [binding], removed: [], evicted: [] });
      expect(await store.list(AOR, T0)).toEqual([binding]);
      expect(await store.list(AOR, binding.expiresAt - 1)).toEqual([binding]);
      expect(await store.list(AOR, binding.expiresAt)).toEqual([]);
    });

    it('keeps JSON fields exactly, connection id and RFC 5626 flow included', async () => {
      const binding = aBinding({
        key: 'outbound <urn:uuid:00000000-0000-1000-8000-000A95A0E128> 1',
        source: { protocol: 'wss', address: '2001:db8::1', port: 443, connectionId: 42 },
        instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>',
        regId: 1,
        outbound: true,
        q: 500,
        contact: 'sip:x@df7jal23ls0d.invalid;transport=ws',
      });
      await store.upsert(AOR, binding, T0, 10);
      expect(await store.list(AOR, T0)).toEqual([binding]);
    });

    it('reports a refresh as neither added nor removed', async () => {
      await store.upsert(AOR, aBinding(), T0, 10);
      const refreshed = aBinding({ cseq: 2, expiresAt: T0 + 7_200_000, updatedAt: T0 + 1 });
      const result = await store.upsert(AOR, refreshed, T0 + 1, 10);
      expect(result).toMatchObject({ status: 'ok', added: [], removed: [], bindings: [refreshed] });
    });

    it('refuses a CSeq not above the stored one for the same Call-ID, and changes nothing', async () => {
      const first = aBinding({ cseq: 5 });
      await store.upsert(AOR, first, T0, 10);
      for (const cseq of [5, 4]) {
        const update = {
          callId: 'call-1',
          cseq,
          now: T0,
          maxBindings: 10,
          changes: [{ kind: 'remove' as const, key: first.key }],
        };
        expect(await store.update(AOR, update)).toEqual({
          status: 'out-of-order',
          expired: [],
        });
      }
      expect(await store.list(AOR, T0)).toEqual([first]);
    });

    it('lets another Call-ID update a binding whatever its CSeq', async () => {
      await store.upsert(AOR, aBinding({ cseq: 5 }), T0, 10);
      const other = aBinding({ callId: 'call-2', cseq: 1 });
      expect(await store.upsert(AOR, other, T0, 10)).toMatchObject({ status: 'ok' });
      expect(await store.list(AOR, T0)).toEqual([other]);
    });

    it('applies a REGISTER all or nothing: one stale contact aborts the others', async () => {
      const a = aBinding({ contact: 'sip:a@192.0.2.1', key: 'uri a', cseq: 3 });
      await store.upsert(AOR, a, T0, 10);
      const b = aBinding({ contact: 'sip:b@192.0.2.2', key: 'uri b', cseq: 3 });
      const result = await store.update(AOR, {
        callId: 'call-1',
        cseq: 3,
        now: T0,
        maxBindings: 10,
        changes: [
          { kind: 'set', binding: b },
          { kind: 'set', binding: { ...a, cseq: 3 } },
        ],
      });
      expect(result.status).toBe('out-of-order');
      expect(await store.list(AOR, T0)).toEqual([a]);
    });

    it('removes one contact with expires=0 and reports it', async () => {
      const a = aBinding({ contact: 'sip:a@192.0.2.1', key: 'uri a' });
      const b = aBinding({ contact: 'sip:b@192.0.2.2', key: 'uri b' });
      await store.upsert(AOR, a, T0, 10);
      await store.upsert(AOR, { ...b, callId: 'call-2' }, T0, 10);
      const result = await store.update(AOR, {
        callId: 'call-1',
        cseq: 2,
        now: T0,
        maxBindings: 10,
        changes: [{ kind: 'remove', key: 'uri a' }],
      });
      expect(result).toMatchObject({ status: 'ok', removed: [a], added: [] });
      expect(await store.list(AOR, T0)).toEqual([{ ...b, callId: 'call-2' }]);
    });

    it('removes every binding for Contact: *, but not with an old CSeq of the same Call-ID', async () => {
      const a = aBinding({ contact: 'sip:a@192.0.2.1', key: 'uri a', cseq: 7 });
      const b = aBinding({ contact: 'sip:b@192.0.2.2', key: 'uri b', callId: 'other' });
      await store.upsert(AOR, a, T0, 10);
      await store.upsert(AOR, b, T0, 10);
      const star = { callId: 'call-1', now: T0, maxBindings: 10, removeAll: true, changes: [] };
      expect(await store.update(AOR, { ...star, cseq: 7 })).toMatchObject({
        status: 'out-of-order',
      });
      const result = await store.update(AOR, { ...star, cseq: 8 });
      expect(result.status).toBe('ok');
      if (result.status === 'ok') {
        expect(result.removed).toHaveLength(2);
        expect(result.bindings).toEqual([]);
      }
      expect(await store.list(AOR, T0)).toEqual([]);
    });

    it('replaces an RFC 5626 flow from a new contact: the old one is removed', async () => {
      const key = 'outbound <urn:uuid:1> 1';
      const old = aBinding({ key, contact: 'sip:a@192.0.2.1;transport=tcp', outbound: true });
      const moved = aBinding({ key, contact: 'sip:a@192.0.2.9;transport=tcp', cseq: 2 });
      await store.upsert(AOR, old, T0, 10);
      const result = await store.upsert(AOR, moved, T0, 10);
      expect(result).toMatchObject({ status: 'ok', added: [moved], removed: [old] });
      expect(await store.list(AOR, T0)).toEqual([moved]);
    });

    it('evicts the least recently refreshed bindings beyond the limit', async () => {
      for (let i = 0; i < 3; i += 1) {
        const contact = `sip:p${i}@192.0.2.${i}`;
        await store.upsert(
          AOR,
          aBinding({ contact, key: `uri ${contact}`, callId: `c${i}`, updatedAt: T0 + i }),
          T0 + i,
          3,
        );
      }
      const newest = aBinding({ contact: 'sip:new@192.0.2.99', key: 'uri new', callId: 'c9' });
      const result = await store.upsert(AOR, { ...newest, updatedAt: T0 + 10 }, T0 + 10, 3);
      expect(result.status).toBe('ok');
      if (result.status !== 'ok') return;
      expect(result.evicted.map((b) => b.contact)).toEqual(['sip:p0@192.0.2.0']);
      expect(result.bindings).toHaveLength(3);
    });

    it('drops expired bindings on update and reports them', async () => {
      const old = aBinding({ contact: 'sip:old@192.0.2.1', key: 'uri old', expiresAt: T0 + 10 });
      await store.upsert(AOR, old, T0, 10);
      const fresh = aBinding({ callId: 'c2' });
      const result = await store.upsert(AOR, fresh, T0 + 10, 10);
      expect(result).toMatchObject({ status: 'ok', expired: [old], bindings: [fresh] });
    });

    it('removes one binding or all of them regardless of CSeq', async () => {
      const a = aBinding({ contact: 'sip:a@192.0.2.1', key: 'uri a', cseq: 100 });
      const b = aBinding({ contact: 'sip:b@192.0.2.2', key: 'uri b', expiresAt: T0 + 5 });
      await store.upsert(AOR, a, T0, 10);
      await store.upsert(AOR, { ...b, callId: 'x' }, T0, 10);
      // Like every write, a removal drops the AOR's expired bindings and reports them.
      expect(await store.remove(AOR, 'uri a', T0 + 5)).toEqual({
        live: [a],
        expired: [{ ...b, callId: 'x' }],
      });
      expect(await store.remove(AOR, 'uri a', T0 + 5)).toEqual({ live: [], expired: [] });
      await store.upsert(AOR, a, T0, 10);
      expect(await store.removeAll(AOR, T0 + 5)).toEqual({ live: [a], expired: [] });
      expect(await store.list(AOR, T0)).toEqual([]);
    });

    it('sweeps each expired binding exactly once, across AORs, within the limit', async () => {
      const other = '1002@acme.pbx.example';
      await store.upsert(AOR, aBinding({ expiresAt: T0 + 10 }), T0, 10);
      await store.upsert(
        AOR,
        aBinding({ contact: 'sip:b@192.0.2.2', key: 'uri b', callId: 'x', expiresAt: T0 + 99_000 }),
        T0,
        10,
      );
      await store.upsert(other, aBinding({ username: '1002', expiresAt: T0 + 20 }), T0, 10);
      expect(await store.sweep(T0 + 5, 100)).toEqual([]);
      const swept = await store.sweep(T0 + 20, 100);
      expect(swept.map((e) => e.aor).sort()).toEqual([AOR, other].sort());
      expect(await store.sweep(T0 + 20, 100)).toEqual([]);
      expect(await store.list(AOR, T0 + 20)).toHaveLength(1);
    });
  });
}
