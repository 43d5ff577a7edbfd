import { toCloudEvent } from './cloud-event';

describe(toCloudEvent.name, () => {
  const event = {
    id: '6f1c2b0e-7d4b-4bb0-9a39-5c1f7a0e1d11',
    source: '/pbx/routing',
    type: 'pbx.calls.v1.CallAnswered',
    subject: 'call-c1',
    time: new Date('2025-03-10T09:00:04.250Z'),
    tenant: 'acme',
    data: { callId: 'c1', answeredAt: '2025-03-10T09:00:04.200Z' },
  };

  it('maps the envelope onto CloudEvents 1.0 attributes with the tenant extension', () => {
    expect(toCloudEvent(event)).toEqual({
      specversion: '1.0',
      id: event.id,
      source: '/pbx/routing',
      type: 'pbx.calls.v1.CallAnswered',
      subject: 'call-c1',
      time: '2025-03-10T09:00:04.250Z',
      tenant: 'acme',
      datacontenttype: 'application/json',
      data: { callId: 'c1', answeredAt: '2025-03-10T09:00:04.200Z' },
    });
  });

  it('sends an event it cannot decode without data, not not at all', () => {
    const json = toCloudEvent({ ...event, data: null });
    expect(json).not.toHaveProperty('data');
    expect(json).not.toHaveProperty('datacontenttype');
    expect(json.type).toBe('pbx.calls.v1.CallAnswered');
  });

  it('keeps every attribute name lowercase alphanumeric, as CloudEvents requires', () => {
    for (const name of Object.keys(toCloudEvent(event))) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
  });
});
