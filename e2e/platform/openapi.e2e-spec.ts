import {
  createTestDatabase,
  startPlatformProcess,
  type PlatformProcess,
  type TestDatabase,
} from '@pbx/testing';

describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let platform: PlatformProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await startPlatformProcess('standalone', {
      DATABASE_URL: database.url,
      PBX_OPERATOR_TOKEN: 'openapi-e2e-token-0123456789abcdef0123',
    });
    await platform.waitForReady(60_000);
  });
  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  it('is generated from the controllers, with request bodies from the validating schemas', async () => {
    const { status, body } = await platform.get('/api/docs/openapi.json');
    expect(status).toBe(200);
    const document = body as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
            };
          }
        >
      >;
    };
    expect(document.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/apply',
      '/api/v1/tenants',
      '/api/v1/groups/{group}/users',
      '/api/v1/auth/login',
      '/api/v1/me',
      '/api/v1/audit-log',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    const login =
      document.paths['/api/v1/auth/login'].post.requestBody?.content['application/json'].schema;
    expect(Object.keys(login?.properties ?? {})).toEqual(['username', 'password']);
    expect(Object.keys(document.paths)).not.toContain('/healthz');
  });

  it('has a browsable page that needs no network', async () => {
    const page = await fetch(`${platform.url}/api/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const asset = await fetch(`${platform.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    expect((await fetch(`${platform.url}/api/docs/assets/..%2F..%2Fpackage.json`)).status).toBe(
      404,
    );
  });
});
