import { EventsError, EventsErrorCode, InMemoryEventStore, type EventStore } from '@pbx/events';
import { aBinding } from './binding-store.contract';
import { RegistrationEventPublisher } from './registration-event-publisher';
import { registrationEventCodec } from './registration-event.codec';
import { registrationStreamId } from './registration-event';

const T0 = Date.UTC(2025, 0, 1, 12);
const quiet = { warn: (): void => undefined, error: (): void => undefined };

describe(RegistrationEventPublisher.name, () => {
  it('appends events in the background, one stream per device, in order', async () => {
    const store = new InMemoryEventStore('/pbx/sip-edge');
    const publisher = new RegistrationEventPublisher(store, { log: quiet });
    const binding = aBinding({ username: 'desk_1' });
    publisher.registered(binding, T0);
    publisher.unregistered(binding, 'expired', T0 + 1);
    // Queued only: nothing was appended on the caller's path.
    expect(publisher.pending).toBe(2);
    await expect(store.readStream(registrationStreamId('acme', 'desk_1'))).resolves.toEqual([]);
    await publisher.flush();
    const stored = await store.readStream('registration-acme:desk+1');
    expect(stored.map((e) => registrationEventCodec.decode(e.type, e.data))).toMatchObject([
      { type: 'DeviceRegistered', username: 'desk_1', expires: 3600, transport: 'udp' },
      { type: 'DeviceUnregistered', reason: 'expired', sourceAddress: '198.51.100.7' },
    ]);
    expect(stored[0]).toMatchObject({ topic: 'pbx.registrations.v1', tenant: 'tenant-1' });
    await publisher.close();
  });

  it('retries a failed append with the same event ids, and does not double a committed one', async () => {
    const inner = new InMemoryEventStore();
    let calls = 0;
    const flaky: EventStore = {
      readStream: (id, from) => inner.readStream(id, from),
      readAll: (after, limit) => inner.readAll(after, limit),
      async append(streamId, events, expected) {
        calls += 1;
        if (calls === 1) {
          // Committed, but the answer was lost.
          await inner.append(streamId, events, expected);
          throw new EventsError(EventsErrorCode.StoreUnavailable, 'connection reset');
        }
        if (calls === 2) {
          try {
            return await inner.append(streamId, events, expected);
          } catch {
            throw new EventsError(
              EventsErrorCode.InvalidEvent,
              'an event with this id was already stored',
            );
          }
        }
        return inner.append(streamId, events, expected);
      },
    };
    const publisher = new RegistrationEventPublisher(flaky, { log: quiet, retryDelayMs: 1 });
    publisher.registered(aBinding(), T0);
    await publisher.flush();
    expect(publisher.pending).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await publisher.flush();
    expect(publisher.pending).toBe(0);
    await expect(inner.readStream(registrationStreamId('acme', '1001'))).resolves.toHaveLength(1);
    await publisher.close();
  });

  it('drops the oldest events past its bound rather than growing without end', async () => {
    const errors: string[] = [];
    const down: EventStore = {
      readStream: async () => [],
      readAll: async () => [],
      append: async () => {
        throw new EventsError(EventsErrorCode.StoreUnavailable, 'down');
      },
    };
    const publisher = new RegistrationEventPublisher(down, {
      log: { warn: () => undefined, error: (m) => errors.push(m) },
      maxQueued: 2,
      retryDelayMs: 60_000,
    });
    for (let i = 0; i < 3; i += 1) publisher.registered(aBinding({ contact: `sip:${i}@x` }), T0);
    expect(publisher.pending).toBe(2);
    expect(errors).toEqual(['dropped 1 registration events: event store behind']);
    await publisher.close();
  });
});

describe('registrationEventCodec', () => {
  it('round-trips both events with the RFC 5626 identity', () => {
    for (const event of [
      {
        type: 'DeviceRegistered' as const,
        tenantId: 't',
        groupId: 'g',
        deviceId: 'g:u',
        username: 'u',
        domain: 'd.example',
        contact: 'sip:u@192.0.2.1;transport=ws',
        userAgent: 'JsSIP',
        transport: 'wss' as const,
        sourceAddress: '2001:db8::1',
        sourcePort: 443,
        instanceId: '<urn:uuid:1>',
        regId: 1,
        expires: 600,
        expiresAt: '2025-01-01T12:10:00.000Z',
      },
      {
        type: 'DeviceUnregistered' as const,
        tenantId: 't',
        groupId: 'g',
        deviceId: 'g:u',
        username: 'u',
        domain: 'd.example',
        contact: 'sip:u@192.0.2.1',
        userAgent: '',
        transport: 'tcp' as const,
        sourceAddress: '192.0.2.1',
        sourcePort: 5060,
        reason: 'device-removed' as const,
      },
    ]) {
      const { type, data } = registrationEventCodec.encode(event);
      expect(registrationEventCodec.decode(type, data)).toEqual(event);
    }
  });

  it('refuses another event type', () => {
    expect(() =>
      registrationEventCodec.decode('pbx.calls.v1.CallAnswered', new Uint8Array()),
    ).toThrow(TypeError);
  });
});
