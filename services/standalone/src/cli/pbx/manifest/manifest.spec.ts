import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';
import { Manifest } from './manifest';

const ACME = `apiVersion: pbx/v1
kind: Group
metadata:
  name: acme
spec:
  domain: acme.example
  users:
    - extension: "201"
      name: Alice Jansen
      profile: premium
    - extension: "202"
      name: Bob de Vries
      profile: business
      devices:
        - { username: bob, kind: deskphone }
  huntGroups:
    - extension: "600"
      members: ["201", "202"]
`;

function parse(text: string, label = 'company.yaml'): Manifest {
  return Manifest.parse({ label, text });
}

function refusal(text: string): PbxCliError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof PbxCliError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe(Manifest.name, () => {
  describe('parse', () => {
    it('reads every document, skipping empty ones', () => {
      const manifest = parse(
        `---\n${ACME}---\n# nothing here\n---\n${ACME.replace('acme', 'beta')}---\n`,
      );
      expect(manifest.documents.map((doc) => doc.metadata.name)).toEqual(['acme', 'beta']);
      expect(manifest.documents[0].spec.users).toHaveLength(2);
    });

    it('keeps strings quoted in the file as strings', () => {
      const users = parse(ACME).documents[0].spec.users as { extension: unknown }[];
      expect(users[0].extension).toBe('201');
    });

    it('reports YAML syntax errors with line and column, in file order', () => {
      const error = refusal('apiVersion: pbx/v1\nkind: Group\nkind: Group\nspec: [1, 2\n');
      expect(error.code).toBe(PbxCliErrorCode.InvalidFile);
      expect(error.details).toEqual([
        'company.yaml:3:1: Map keys must be unique',
        expect.stringMatching(/^company\.yaml:5:1: Flow sequence/),
      ]);
      expect(error.message).toBe('company.yaml was refused (2 problems); nothing was changed');
    });

    it('refuses values without a JSON form where they are', () => {
      const error = refusal(
        'apiVersion: pbx/v1\nkind: Group\nmetadata:\n  name: acme\nspec:\n' +
          '  logo: !!binary aGVsbG8=\n  factor: .inf\n  opened: !!timestamp 2001-12-14\n' +
          '  ? [a, b]\n  : complex\n',
      );
      expect(error.details).toEqual([
        'company.yaml:6: spec.logo: the tag !!binary is not supported here',
        'company.yaml:7: spec.factor: Infinity is not a number a document can hold',
        'company.yaml:8: spec.opened: the tag !!timestamp is not supported here',
        'company.yaml:9: spec: a key must be a plain value, not a list or a mapping',
      ]);
    });

    it('refuses tags it does not know', () => {
      expect(refusal('kind: !custom Group\n').details).toEqual([
        'company.yaml:1:7: Unresolved tag: !custom',
      ]);
    });

    it('refuses an alias bomb instead of expanding it', () => {
      const lines = [
        'apiVersion: pbx/v1',
        'kind: Group',
        'metadata: { name: acme }',
        'spec:',
        '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
      ];
      for (let level = 1; level <= 8; level += 1) {
        const previous = `*a${level - 1}`;
        lines.push(`  a${level}: &a${level} [${Array(10).fill(previous).join(', ')}]`);
      }
      const error = refusal(`${lines.join('\n')}\n`);
      expect(error.details.join('\n')).toMatch(/alias/i);
    });

    it('reports envelope problems at their lines', () => {
      const error = refusal(
        'apiVersion: pbx/v2\nkind: Group\nmetadata:\n  name: Acme\nspec:\n  domain: x\nstatus: {}\n' +
          '---\napiVersion: pbx/v1\nkind: Group\nmetadata:\n  name: beta\n',
      );
      expect(error.details).toEqual([
        'company.yaml:1: apiVersion: unsupported "pbx/v2"; expected pbx/v1',
        expect.stringMatching(/^company\.yaml:4: metadata\.name: expected lowercase letters/),
        'company.yaml:7: status: unknown field; expected apiVersion, kind, metadata, spec',
        'company.yaml:9: spec: required; a mapping',
      ]);
    });

    it('refuses a file without documents', () => {
      expect(refusal('# only a comment\n').details).toEqual([
        'company.yaml: no documents; expected at least one pbx/v1 document',
      ]);
      expect(refusal('').code).toBe(PbxCliErrorCode.InvalidFile);
    });
  });

  describe('locate', () => {
    const manifest = parse(`${ACME}---\n${ACME.replace('name: acme', 'name: beta')}`);

    it.each([
      ['spec.users[1].profile', 13],
      ['spec.users[1].devices[0].kind', 15],
      ['spec.users[extension=202].name', 12],
      ['spec.huntGroups[0].members[1]', 18],
      ['spec.users', 7],
      ['kind', 2],
      ['', 1],
    ])('finds %s at line %i', (path, line) => {
      expect(manifest.locate(0, path, 'm').line).toBe(line);
    });

    it('falls back to the nearest node that exists', () => {
      expect(manifest.locate(0, 'spec.users[1].email', 'm').line).toBe(11);
      expect(manifest.locate(0, 'spec.users[7].profile', 'm').line).toBe(7);
      expect(manifest.locate(0, 'spec.timezone', 'm').line).toBe(5);
    });

    it('finds paths in later documents at their lines in the file', () => {
      expect(manifest.locate(1, 'spec.users[0].profile', 'm').line).toBe(19 + 10); // 18 lines of the first document and a ---
    });

    it('formats problems as file:line: path: message, without a line when none is known', () => {
      expect(
        manifest.format([
          manifest.locate(0, 'spec.users[1].profile', 'unknown profile "gold"'),
          manifest.locate(undefined, 'spec', 'too large'),
        ]),
      ).toEqual([
        'company.yaml: spec: too large',
        'company.yaml:13: spec.users[1].profile: unknown profile "gold"',
      ]);
    });
  });
});
