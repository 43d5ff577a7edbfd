import { ApplyDocumentsCommand, type DocumentProblem } from './apply-documents.command';

const trunk = (name: unknown, spec: unknown): Record<string, unknown> => ({
  apiVersion: 'pbx/v1',
  kind: 'Trunk',
  metadata: { name },
  spec,
});

function problemsOf(documents: unknown[]): DocumentProblem[] {
  const created = ApplyDocumentsCommand.create({ documents }, false);
  return 'problems' in created ? created.problems : [];
}

describe(ApplyDocumentsCommand.name, () => {
  it('reads a kind: Trunk document with its name from metadata', () => {
    const created = ApplyDocumentsCommand.create(
      { documents: [trunk('carrier', { host: 'sip.carrier.example', transport: 'tls' })] },
      true,
    );
    expect('command' in created && created.command.documents).toEqual([
      {
        index: 0,
        kind: 'Trunk',
        name: 'carrier',
        spec: {
          name: 'carrier',
          host: 'sip.carrier.example',
          port: 5061,
          transport: 'tls',
          register: false,
          inboundAddresses: [],
        },
      },
    ]);
  });

  it('reports trunk spec problems by path from the document root', () => {
    expect(problemsOf([trunk('carrier', { host: 'h.example', port: 0, register: true })])).toEqual([
      {
        document: 0,
        path: 'spec.port',
        message: 'must be a whole number from 1 to 65535, such as 5060',
      },
      {
        document: 0,
        path: 'spec.register',
        message: 'registering with the carrier needs a username and a password',
      },
    ]);
  });

  it('asks for a trunk name and names the kinds it knows', () => {
    expect(problemsOf([trunk(undefined, { host: 'h.example' })])).toEqual([
      {
        document: 0,
        path: 'metadata.name',
        message: 'required: the name of the trunk, such as carrier',
      },
    ]);
    expect(problemsOf([{ ...trunk('c', {}), kind: 'Carrier' }])[0]).toEqual({
      document: 0,
      path: 'kind',
      message: 'unknown kind "Carrier"; expected Group, Enterprise or Trunk',
    });
  });

  it('lets a trunk share its name with a group, but not with another trunk', () => {
    const group = { apiVersion: 'pbx/v1', kind: 'Group', metadata: { name: 'carrier' }, spec: {} };
    const problems = problemsOf([
      trunk('carrier', { host: 'h.example' }),
      group,
      trunk('carrier', { host: 'i.example' }),
    ]);
    expect(problems.filter((p) => p.path === 'metadata.name')).toEqual([
      { document: 2, path: 'metadata.name', message: '"carrier" is also document 1 of this file' },
    ]);
  });
});
