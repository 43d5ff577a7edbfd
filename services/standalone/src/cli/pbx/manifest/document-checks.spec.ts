import { checkDocuments, describeValue } from './document-checks';

const group = (name = 'acme', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'pbx/v1',
  kind: 'Group',
  metadata: { name },
  spec: { domain: `${name}.example` },
  ...extra,
});

function problemsOf(values: unknown[]): { document: number; path: string; message: string }[] {
  const checked = checkDocuments(values);
  return checked.ok ? [] : [...checked.problems];
}

describe(checkDocuments.name, () => {
  it('accepts well-formed documents of any PascalCase kind', () => {
    const checked = checkDocuments([group(), { ...group('corp'), kind: 'Enterprise' }]);
    expect(checked.ok).toBe(true);
  });

  it('reports every problem of every document with its path', () => {
    expect(
      problemsOf([
        { apiVersion: 'v1', kind: 'group', metadata: { name: 'Acme' }, spec: [], status: {} },
        'just a string',
      ]),
    ).toEqual([
      {
        document: 0,
        path: 'status',
        message: 'unknown field; expected apiVersion, kind, metadata, spec',
      },
      { document: 0, path: 'apiVersion', message: 'unsupported "v1"; expected pbx/v1' },
      {
        document: 0,
        path: 'kind',
        message: 'expected a kind in PascalCase, such as Group; got "group"',
      },
      {
        document: 0,
        path: 'metadata.name',
        message:
          'expected lowercase letters, digits and hyphens, at most 63, starting and ending with ' +
          'a letter or digit; got "Acme"',
      },
      { document: 0, path: 'spec', message: 'expected a mapping; got []' },
      {
        document: 1,
        path: '',
        message: 'expected a mapping with apiVersion, kind, metadata and spec',
      },
    ]);
  });

  it('names each missing field', () => {
    expect(problemsOf([{}]).map((problem) => problem.path)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    expect(problemsOf([{ ...group(), metadata: {} }])).toEqual([
      { document: 0, path: 'metadata.name', message: 'required' },
    ]);
  });

  it('refuses a resource given twice in one file', () => {
    expect(problemsOf([group(), group('other'), group()])).toEqual([
      {
        document: 2,
        path: 'metadata.name',
        message: 'group/acme is already given in document 1 of this file',
      },
    ]);
  });
});

describe(describeValue.name, () => {
  it('quotes strings, so that "201" and 201 differ, and shortens long values', () => {
    expect(describeValue('201')).toBe('"201"');
    expect(describeValue(201)).toBe('201');
    expect(describeValue('x'.repeat(100))).toHaveLength(40);
  });
});
