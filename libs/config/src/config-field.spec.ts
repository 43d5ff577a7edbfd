import { ConfigField, secret } from './config-field';
import { int, text, url } from './field-builders';

describe(ConfigField.name, () => {
  it('reports a missing required variable', () => {
    expect(int().read('PBX_N', undefined)).toEqual({ ok: false, problem: 'PBX_N is required' });
  });

  it('treats an empty or blank value as unset', () => {
    expect(int().read('PBX_N', '')).toEqual({ ok: false, problem: 'PBX_N is required' });
    expect(int().optional().read('PBX_N', '  ')).toEqual({ ok: true, value: undefined });
    expect(int().default(7).read('PBX_N', '')).toEqual({ ok: true, value: 7 });
  });

  it('prefers a given value over the default', () => {
    expect(int().default(7).read('PBX_N', '9')).toEqual({ ok: true, value: 9 });
  });

  it('leaves the field it derives from unchanged', () => {
    const required = int();
    required.optional();
    required.default(1);
    secret(required);
    expect(required.isSecret).toBe(false);
    expect(required.read('PBX_N', undefined).ok).toBe(false);
  });
});

describe(secret.name, () => {
  it('marks the field secret whether applied before or after optional()', () => {
    expect(secret(text()).optional().isSecret).toBe(true);
    expect(secret(text().optional()).isSecret).toBe(true);
    expect(secret(text()).default('x').isSecret).toBe(true);
  });

  it('never echoes the value of an invalid secret', () => {
    expect(secret(int({ min: 8 })).read('PBX_API_KEY_LENGTH', '3')).toEqual({
      ok: false,
      problem: 'PBX_API_KEY_LENGTH must be an integer >= 8, got an invalid value',
    });
  });

  it('shows a secret URL with its credentials masked, as the scheme is what was wrong', () => {
    const field = secret(url({ protocols: ['redis', 'rediss'] }));
    expect(field.read('REDIS_URL', 'http://:hunter2@cache:6379')).toEqual({
      ok: false,
      problem: 'REDIS_URL must be a redis:// or rediss:// URL, got "http://:***@cache:6379"',
    });
    expect(field.read('REDIS_URL', 'http://hunter2@cache:6379')).toEqual({
      ok: false,
      problem: 'REDIS_URL must be a redis:// or rediss:// URL, got "http://***@cache:6379"',
    });
  });

  it('does not show a secret URL value that is not URL-like, as it may be a bare password', () => {
    expect(secret(url({ protocols: ['postgres'] })).read('DATABASE_URL', 'hunter2')).toEqual({
      ok: false,
      problem: 'DATABASE_URL must be a postgres:// URL, got an invalid value',
    });
  });
});
