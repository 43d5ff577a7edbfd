import {
  FEATURE_IDS,
  FEATURES,
  type FeatureId,
  type FeaturePartRef,
  type FeatureScope,
} from './feature-catalog';

// The IDs of FEATURES.md, written out by hand: specs do no I/O, and a second, independent list
// catches an ID lost or duplicated in the table.
const CATALOG_IDS: readonly string[] = [
  ...range('T', 9),
  ...range('G', 14),
  ...range('U', 27),
  ...range('I', 7),
  ...range('M', 9),
  ...range('O', 9),
  ...range('B', 7),
  ...range('N', 5),
];

function range(letter: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${letter}${index + 1}`);
}

function idsWhere(predicate: (id: FeatureId) => boolean): FeatureId[] {
  return FEATURE_IDS.filter(predicate);
}

describe('FEATURES', () => {
  it('holds every catalog ID exactly once, in catalog order', () => {
    expect(CATALOG_IDS).toHaveLength(87);
    expect([...FEATURE_IDS]).toEqual(CATALOG_IDS);
    expect(Object.keys(FEATURES)).toEqual(CATALOG_IDS);
    expect(new Set(FEATURE_IDS).size).toBe(FEATURE_IDS.length);
  });

  it('files every entry under its own ID, with a title and a source section', () => {
    for (const id of FEATURE_IDS) {
      expect(FEATURES[id].id).toBe(id);
      expect(FEATURES[id].title.trim()).not.toBe('');
      expect(FEATURES[id].source).toMatch(/^\d/);
    }
  });

  it('marks group services group-level and tenancy, billing and number rules tenant-level', () => {
    const scope = (id: FeatureId): FeatureScope => FEATURES[id].scope;
    expect(idsWhere((id) => id.startsWith('G')).every((id) => scope(id) === 'group')).toBe(true);
    for (const letter of ['B', 'N']) {
      expect(idsWhere((id) => id.startsWith(letter)).every((id) => scope(id) === 'tenant')).toBe(
        true,
      );
    }
    expect(idsWhere((id) => id.startsWith('T') && scope(id) !== 'tenant')).toEqual(['T8', 'T9']);
  });

  it('marks user options as add-ons, including executive/assistant (original 6.5)', () => {
    expect(idsWhere((id) => FEATURES[id].scope === 'option')).toEqual(['U24', ...range('O', 9)]);
    for (const id of idsWhere((id) => FEATURES[id].scope === 'option')) {
      expect(FEATURES[id].availability).toEqual({ kind: 'add-on' });
    }
  });

  it('gives every part a key unique within its feature', () => {
    for (const id of FEATURE_IDS) {
      const keys = (FEATURES[id] as { parts?: readonly { key: string }[] }).parts?.map(
        (part) => part.key,
      );
      expect(new Set(keys).size).toBe(keys?.length ?? 0);
    }
  });

  it('types part references from the table', () => {
    const refs: FeaturePartRef[] = ['U7.selective', 'G7.instant-group-call', 'U27.call-move'];
    // @ts-expect-error U7 has no part "always"
    const unknownPart: FeaturePartRef = 'U7.always';
    expect(refs).toHaveLength(3);
    expect(unknownPart).toBe('U7.always');
  });
});
