import { redactUrlCredentials } from './redact-url';

describe(redactUrlCredentials.name, () => {
  it.each([
    ['postgres://pbx:hunter2@db:5432/pbx', 'postgres://pbx:***@db:5432/pbx'],
    ['redis://:hunter2@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['postgres://pbx:p@ss:w/rd@db/pbx', 'postgres://pbx:***@db/pbx'],
    [
      'postgres://db/pbx?user=pbx&password=hunter2&sslmode=require',
      'postgres://db/pbx?user=pbx&password=***&sslmode=require',
    ],
    ['postgres://pbx@db/pbx', 'postgres://pbx@db/pbx'],
    ['postgres://db/pbx', 'postgres://db/pbx'],
    ['not a url: a:b@c', 'not a url: a:b@c'],
  ])('masks %j as %j', (raw, masked) => {
    expect(redactUrlCredentials(raw)).toBe(masked);
  });

  it('masks a bare user part when asked, as a token is often put there', () => {
    expect(redactUrlCredentials('redis://t0ken@cache:6379', { maskBareUserinfo: true })).toBe(
      'redis://***@cache:6379',
    );
  });
});
