import fc from 'fast-check';
import { Manifest } from '../manifest/manifest';
import type { PbxDocument } from '../manifest/pbx-document';
import { formatJson, formatNames, formatTable, formatYaml } from './resource-output';

const acme: PbxDocument = {
  apiVersion: 'pbx/v1',
  kind: 'Group',
  metadata: { name: 'acme' },
  spec: {
    domain: 'acme.example',
    mainNumber: '+31201234500',
    users: [
      {
        extension: '201',
        name: 'Alice Jansen',
        profile: 'premium',
        devices: [{ username: 'alice', kind: 'softphone', flexHost: false }],
      },
    ],
  },
};
const beta: PbxDocument = {
  ...acme,
  metadata: { name: 'beta-corp' },
  spec: { domain: 'b.example' },
};

function readBack(yaml: string): readonly PbxDocument[] {
  return Manifest.parse({ label: 'out.yaml', text: yaml }).documents;
}

describe(formatYaml.name, () => {
  it('writes a pbx file that reads back as the same document, keys in order', () => {
    const yaml = formatYaml([acme]);
    expect(yaml.startsWith('apiVersion: pbx/v1\nkind: Group\nmetadata:\n  name: acme\n')).toBe(
      true,
    );
    expect(yaml).toContain('extension: "201"');
    expect(yaml).toContain('mainNumber: "+31201234500"');
    expect(JSON.stringify(readBack(yaml))).toBe(JSON.stringify([acme]));
  });

  it('separates several documents with ---', () => {
    const yaml = formatYaml([acme, beta]);
    expect(yaml.match(/^---$/gm)).toHaveLength(1);
    expect(JSON.stringify(readBack(yaml))).toBe(JSON.stringify([acme, beta]));
  });

  it('round-trips any JSON spec exactly', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (spec) => {
        const document = { ...acme, spec } as PbxDocument;
        expect(JSON.stringify(readBack(formatYaml([document])))).toBe(JSON.stringify([document]));
      }),
      { numRuns: 300 },
    );
  });
});

describe(formatJson.name, () => {
  it('writes one document as itself and a list as items', () => {
    expect(JSON.parse(formatJson(acme))).toEqual(acme);
    expect(JSON.parse(formatJson([acme, beta]))).toEqual({ items: [acme, beta] });
  });
});

describe(formatNames.name, () => {
  it('writes kind/name lines', () => {
    expect(formatNames([acme, beta])).toBe('group/acme\ngroup/beta-corp\n');
  });
});

describe(formatTable.name, () => {
  it('lines up kind and name under a header', () => {
    expect(formatTable([acme, beta])).toBe('KIND    NAME\ngroup   acme\ngroup   beta-corp\n');
  });
});
