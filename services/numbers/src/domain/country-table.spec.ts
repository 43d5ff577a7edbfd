import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { COUNTRY_TABLE, countryCapabilities, type CountryCapabilities } from './country-table';

const ALL: CountryCapabilities = {
  incoming: true,
  outgoingWithInternationalIdentity: true,
  newGeographic: true,
  newNational: true,
  porting: true,
};
const INCOMING_AND_GEOGRAPHIC: CountryCapabilities = {
  incoming: true,
  outgoingWithInternationalIdentity: false,
  newGeographic: true,
  newNational: false,
  porting: false,
};

describe('country table (section 8)', () => {
  it.each(['BE', 'DE', 'FR'])('offers all five capabilities in %s', (iso) => {
    expect(countryCapabilities(iso)).toMatchObject(ALL);
  });

  it('offers everything in the Netherlands itself (regional, 085, 088 and porting)', () => {
    expect(countryCapabilities('NL')).toMatchObject(ALL);
  });

  it.each(['GB', 'PT', 'US'])(
    'offers %s everything but new national numbers ("√ √ √", blank, "√")',
    (iso) => {
      expect(countryCapabilities(iso)).toMatchObject({ ...ALL, newNational: false });
    },
  );

  it.each(['DK', 'AT'])('offers %s incoming calls and new national numbers only', (iso) => {
    expect(countryCapabilities(iso)).toMatchObject({
      incoming: true,
      outgoingWithInternationalIdentity: false,
      newGeographic: false,
      newNational: true,
      porting: false,
    });
  });

  it.each(['AU', 'BH', 'CA', 'JP', 'NZ', 'ZA', 'LV', 'RO'])(
    'offers %s incoming calls and new geographic numbers only',
    (iso) => {
      expect(countryCapabilities(iso)).toMatchObject(INCOMING_AND_GEOGRAPHIC);
    },
  );

  it('lists the 32 countries of the original plus the Netherlands, each reachable inbound', () => {
    expect(COUNTRY_TABLE).toHaveLength(33);
    expect(new Set(COUNTRY_TABLE.map((c) => c.iso)).size).toBe(33);
    expect(COUNTRY_TABLE.every((c) => c.incoming)).toBe(true);
  });

  it('carries the calling code of each country', () => {
    for (const country of COUNTRY_TABLE) {
      expect([country.iso, country.callingCode]).toEqual([
        country.iso,
        getCountryCallingCode(country.iso as CountryCode),
      ]);
    }
  });

  it('looks countries up by ISO code in any case, and knows none outside the table', () => {
    expect(countryCapabilities(' be ')).toMatchObject({ nameNl: 'België', nameEn: 'Belgium' });
    expect(countryCapabilities('BR')).toBeUndefined();
    expect(countryCapabilities('')).toBeUndefined();
  });
});
