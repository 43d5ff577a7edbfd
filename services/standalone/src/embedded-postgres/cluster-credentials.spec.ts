import { parseClusterCredentials } from './cluster-credentials';
import { EmbeddedDatabaseErrorCode } from './embedded-database.error';

const FILE = '/data/postgres.credentials.json';

describe(parseClusterCredentials.name, () => {
  it('accepts the file the platform writes', () => {
    const text = JSON.stringify({ user: 'postgres', password: 'x'.repeat(32), database: 'pbx' });
    expect(parseClusterCredentials(text, FILE)).toEqual({
      user: 'postgres',
      password: 'x'.repeat(32),
      database: 'pbx',
    });
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['a short password', JSON.stringify({ user: 'postgres', password: 'short', database: 'pbx' })],
    [
      'a user that is no identifier',
      JSON.stringify({ user: 'Robert"; drop', password: 'x'.repeat(32), database: 'pbx' }),
    ],
    ['a missing database', JSON.stringify({ user: 'postgres', password: 'x'.repeat(32) })],
  ])('refuses %s, naming the file', (_why, text) => {
    expect(() => parseClusterCredentials(text, FILE)).toThrow(
      expect.objectContaining({
        code: EmbeddedDatabaseErrorCode.CredentialsInvalid,
        message: expect.stringContaining(FILE),
      }),
    );
  });
});
