import { ConfigError } from './config.error';
import { requires } from './config-rule';
import { defineSchema } from './config-schema';
import { enumOf, path } from './field-builders';
import { loadConfig } from './load-config';
import { platformConfigSchema } from './platform-config.schema';

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

// Listening for SIP over TLS needs a certificate and its key (a rule of the platform schema).
const sipEdgeSchema = platformConfigSchema;

describe(requires.name, () => {
  it('requires cert and key when the TLS port is set', () => {
    expect(problemsOf(() => loadConfig(sipEdgeSchema, { PBX_SIP_TLS_PORT: '5061' }))).toEqual([
      'PBX_SIP_TLS_PORT is set, so PBX_TLS_CERT_FILE and PBX_TLS_KEY_FILE are required',
    ]);
  });

  it('holds when the TLS port has cert and key', () => {
    const config = loadConfig(sipEdgeSchema, {
      PBX_SIP_TLS_PORT: '5061',
      PBX_TLS_CERT_FILE: '/tls/cert.pem',
      PBX_TLS_KEY_FILE: '/tls/key.pem',
    });
    expect(config).toMatchObject({
      sipTlsPort: 5061,
      tlsCertFile: '/tls/cert.pem',
      tlsKeyFile: '/tls/key.pem',
    });
  });

  it('does not apply when the TLS port is unset', () => {
    expect(loadConfig(sipEdgeSchema, {}).sipTlsPort).toBeUndefined();
  });

  it('counts an invalid value as set, reporting it along with the rule', () => {
    expect(problemsOf(() => loadConfig(sipEdgeSchema, { PBX_SIP_TLS_PORT: 'tls' }))).toEqual([
      'PBX_SIP_TLS_PORT must be a port number 1-65535, got "tls"',
      'PBX_SIP_TLS_PORT is set, so PBX_TLS_CERT_FILE and PBX_TLS_KEY_FILE are required',
    ]);
  });

  it('says "is required" for a single field', () => {
    const schema = defineSchema({ PBX_A: path().optional(), PBX_B: path().optional() }, [
      requires('PBX_A', ['PBX_B']),
    ]);
    expect(problemsOf(() => loadConfig(schema, { PBX_A: '/a' }))).toEqual([
      'PBX_A is set, so PBX_B is required',
    ]);
  });

  it('takes a predicate with its own message', () => {
    const schema = defineSchema(
      {
        PBX_SIP_TRANSPORT: enumOf(['udp', 'tls']).default('udp'),
        PBX_TLS_CERT_FILE: path().optional(),
      },
      [
        requires(
          (context) => context.values.PBX_SIP_TRANSPORT === 'tls',
          ['PBX_TLS_CERT_FILE'],
          'TLS transport needs PBX_TLS_CERT_FILE',
        ),
      ],
    );
    expect(problemsOf(() => loadConfig(schema, {}))).toEqual([]);
    expect(problemsOf(() => loadConfig(schema, { PBX_SIP_TRANSPORT: 'tls' }))).toEqual([
      'TLS transport needs PBX_TLS_CERT_FILE',
    ]);
  });

  it('takes a custom message for a variable trigger', () => {
    const schema = defineSchema({ PBX_A: path().optional(), PBX_B: path().optional() }, [
      requires('PBX_A', ['PBX_B'], 'PBX_A needs PBX_B beside it'),
    ]);
    expect(problemsOf(() => loadConfig(schema, { PBX_A: '/a' }))).toEqual([
      'PBX_A needs PBX_B beside it',
    ]);
  });
});

describe('the base TLS certificate and key pair', () => {
  it('rejects a certificate without its key', () => {
    expect(
      problemsOf(() => loadConfig(platformConfigSchema, { PBX_TLS_CERT_FILE: '/tls/cert.pem' })),
    ).toEqual(['PBX_TLS_CERT_FILE is set, so PBX_TLS_KEY_FILE is required']);
  });

  it('rejects a key without its certificate', () => {
    expect(
      problemsOf(() => loadConfig(platformConfigSchema, { PBX_TLS_KEY_FILE: '/tls/key.pem' })),
    ).toEqual(['PBX_TLS_KEY_FILE is set, so PBX_TLS_CERT_FILE is required']);
  });

  it('accepts both or neither', () => {
    expect(problemsOf(() => loadConfig(platformConfigSchema, {}))).toEqual([]);
    expect(
      problemsOf(() =>
        loadConfig(platformConfigSchema, {
          PBX_TLS_CERT_FILE: '/tls/cert.pem',
          PBX_TLS_KEY_FILE: '/tls/key.pem',
        }),
      ),
    ).toEqual([]);
  });
});
