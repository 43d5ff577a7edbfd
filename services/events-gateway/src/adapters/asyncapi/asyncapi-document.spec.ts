import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { create, type DescMessage } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import {
  CallEndCause,
  CallEndedSchema,
  CallStartedSchema,
  DeviceAddedSchema,
  DeviceRegisteredSchema,
  eventRegistry,
  NumberBlockSplitPartCreatedSchema,
  RegistrationTransport,
  TOPICS,
  toRedactedJson,
  TrunkAddedSchema,
} from '@pbx/proto';
import { ALL_PUBLIC_EVENT_TYPES, PUBLIC_EVENT_TYPES } from '../../domain/public-event-types';
import { asyncApiDocument } from './asyncapi-document';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const document = asyncApiDocument({
  maxAttempts: 16,
  backoffBaseMs: 1000,
  backoffCapMs: 3_600_000,
  timeoutMs: 10_000,
});

/** Every event type a service encodes (`<Message>Schema.typeName` in its non-test sources). */
function emittedTypes(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !/\.(spec|int-spec|spec-helper)\.ts$/.test(path)) {
        for (const match of readFileSync(path, 'utf8').matchAll(
          /\b([A-Z]\w*)Schema\.typeName\b/g,
        )) {
          const desc = [...eventRegistry].find(
            (d) => d.kind === 'message' && d.name === match[1],
          ) as DescMessage | undefined;
          if (desc) names.add(desc.typeName);
        }
      }
    }
  };
  for (const service of readdirSync(join(ROOT, 'services'))) {
    const src = join(ROOT, 'services', service, 'src');
    if (statSync(join(ROOT, 'services', service)).isDirectory()) {
      try {
        walk(src);
      } catch {
        // A service without sources yet.
      }
    }
  }
  return names;
}

describe('the AsyncAPI document of the public events', () => {
  it('parses without errors with the AsyncAPI parser', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(parsed?.version()).toBe('3.0.0');
    expect(
      parsed
        ?.channels()
        .all()
        .map((c) => c.id())
        .sort(),
    ).toEqual(['stream', 'webhook']);
  });

  it('lists every event type the services emit, and only those', () => {
    const emitted = emittedTypes();
    expect(emitted.size).toBeGreaterThan(40);
    expect([...ALL_PUBLIC_EVENT_TYPES].sort()).toEqual([...emitted].sort());
    const channels = document.channels as Record<string, { messages: Record<string, unknown> }>;
    expect(Object.keys(channels.webhook.messages).sort()).toEqual([...emitted].sort());
    expect(Object.keys(channels.stream.messages).sort()).toEqual([...emitted].sort());
  });

  it('groups the types by the topic they travel on', () => {
    expect(Object.keys(PUBLIC_EVENT_TYPES).sort()).toEqual(Object.values(TOPICS).sort());
    for (const [topic, types] of Object.entries(PUBLIC_EVENT_TYPES)) {
      for (const type of types) expect(type.startsWith(`${topic}.`)).toBe(true);
    }
  });

  it("has a schema per message whose properties are exactly the proto fields' JSON names", () => {
    const schemas = (document.components as { schemas: Record<string, { properties: object }> })
      .schemas;
    for (const type of ALL_PUBLIC_EVENT_TYPES) {
      const desc = eventRegistry.getMessage(type) as DescMessage;
      expect(Object.keys(schemas[type].properties)).toEqual(desc.fields.map((f) => f.jsonName));
    }
    expect(schemas['pbx.calls.v1.CallParty']).toBeDefined();
  });

  it('validates real payloads, redacted secrets, enums and timestamps included', () => {
    const ajv = new Ajv({ strict: false });
    // Ajv follows references through schema keywords only: the schemas go under $defs.
    const schemas = JSON.stringify((document.components as { schemas: object }).schemas);
    ajv.addSchema({
      $id: 'https://pbx.invalid/asyncapi.json',
      $defs: JSON.parse(schemas.replaceAll('#/components/schemas/', '#/$defs/')) as object,
    });
    ajv.addFormat('date-time', true);
    const validator = (typeName: string): ReturnType<typeof ajv.compile> =>
      ajv.compile({ $ref: `https://pbx.invalid/asyncapi.json#/$defs/${typeName}` });
    const check = (desc: DescMessage, message: unknown): void => {
      const validate = validator(desc.typeName);
      const json = toRedactedJson(desc, message as never);
      expect(validate(json) ? [] : validate.errors).toEqual([]);
    };
    check(
      CallStartedSchema,
      create(CallStartedSchema, {
        callId: 'c1',
        tenantId: 'acme',
        caller: { groupId: 'acme-hq', userId: '201', number: '+31201234501' },
        callee: { number: '+31612345678' },
        dialed: '0612345678',
        presentationRestricted: true,
        startedAt: timestampNow(),
      }),
    );
    check(
      CallEndedSchema,
      create(CallEndedSchema, { callId: 'c1', cause: CallEndCause.BUSY, status: 486 }),
    );
    check(
      DeviceRegisteredSchema,
      create(DeviceRegisteredSchema, {
        deviceId: 'acme-hq:alice',
        transport: RegistrationTransport.WSS,
        sourcePort: 5060,
        regId: 1,
      }),
    );
    check(
      DeviceAddedSchema,
      create(DeviceAddedSchema, { username: 'alice', credentials: { ha1Md5: 'x' } }),
    );
    check(TrunkAddedSchema, create(TrunkAddedSchema, { spec: { name: 't', password: 'p' } }));
    check(NumberBlockSplitPartCreatedSchema, create(NumberBlockSplitPartCreatedSchema, {}));
    // The check can fail: an unknown property or enum value is refused.
    expect(validator('pbx.calls.v1.CallEnded')({ callId: 'c1', hangupBy: 'x' })).toBe(false);
    expect(validator('pbx.calls.v1.CallEnded')({ callId: 'c1', cause: 'HANGUP' })).toBe(false);
  });
});
