import { callEndMessage, registrationFailure } from './sip-outcomes';

describe(registrationFailure.name, () => {
  it('calls 401 and 407 wrong credentials and does not retry them', () => {
    for (const status of [401, 407]) {
      expect(registrationFailure(status, 'acme.example')).toEqual({
        message: `Wrong username or password (${status}).`,
        retry: false,
      });
    }
  });

  it('explains a 403 as refused credentials or throttling, without retrying', () => {
    const failure = registrationFailure(403, 'acme.example');
    expect(failure.retry).toBe(false);
    expect(failure.message).toMatch(/refused \(403\).*wrong username or password.*too many/);
  });

  it('names the unknown domain of a 404', () => {
    expect(registrationFailure(404, 'nope.example')).toEqual({
      message: 'The phone server does not serve the domain nope.example (404).',
      retry: false,
    });
  });

  it('retries a timeout and server errors, not other client errors', () => {
    expect(registrationFailure(undefined, 'a.example').retry).toBe(true);
    expect(registrationFailure(408, 'a.example').retry).toBe(true);
    expect(registrationFailure(503, 'a.example').retry).toBe(true);
    expect(registrationFailure(400, 'a.example').retry).toBe(false);
  });
});

describe(callEndMessage.name, () => {
  it.each([
    [{ kind: 'hung-up', by: 'local' }, 'Call with 202 ended.'],
    [{ kind: 'hung-up', by: 'remote' }, '202 hung up.'],
    [{ kind: 'declined' }, 'Declined the call from 202.'],
    [{ kind: 'missed' }, 'Missed call from 202.'],
    [{ kind: 'cancelled' }, 'Call to 202 cancelled.'],
    [{ kind: 'rejected', status: 486 }, '202 is busy (486).'],
    [{ kind: 'rejected', status: 404 }, '202 does not exist (404).'],
    [{ kind: 'rejected', status: 480 }, '202 did not answer or is not reachable (480).'],
    [{ kind: 'rejected', status: 488 }, '202 could not agree on audio with this browser (488).'],
    [{ kind: 'rejected', status: 500 }, 'The call to 202 failed (500).'],
    [{ kind: 'failed', message: 'No microphone.' }, 'No microphone.'],
  ] as const)('tells %j as %j', (end, text) => {
    expect(callEndMessage(end, '202')).toBe(text);
  });
});
