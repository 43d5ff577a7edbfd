/**
 * Coverage of international numbers (N5): the table in section 8 "Telefoonnummers" of the Dutch
 * service description, as data. Columns, in the original's order:
 *
 *   I  Inkomend (gebeld worden)                               incoming
 *   O  Uitgaand (bellen met internationale identiteit)        outgoing with international identity
 *   G  Nieuw geografisch nummer                               new geographic number
 *   N  Nieuw nationaal nummer                                 new national number
 *   P  Nummerbehoud                                           porting
 *
 * The source text is a PDF extraction in which empty cells vanish; each row was rebuilt from the
 * order of its √ marks and the blank lines between them (one blank line per missing cell):
 * - Rows with all five marks (BE, DE, FR) are unambiguous.
 * - Rows with three marks (GB, PT, US) read "√ √ √", one blank, "√": I O G . P.
 * - Most two-mark rows read "√", one blank, "√", two blanks: I . G . . (incoming, new geographic).
 * - DK and AT read "√", two blanks, "√", one blank: I . . N . (incoming, new national).
 * Less certain, documented where they are defined below: LV (its trailing blanks run into the
 * repeated header at the page break) and RO (extracted on one line, only the spaces tell).
 *
 * The original's "Engeland" (England) is the United Kingdom's numbering plan: ISO code GB, +44.
 */

export interface CountryCapabilities {
  /** Inkomend: callers can reach the platform on numbers of this country. */
  readonly incoming: boolean;
  /** Uitgaand met internationale identiteit: calls out can present a number of this country. */
  readonly outgoingWithInternationalIdentity: boolean;
  /** Nieuw geografisch nummer: new numbers with an area code can be ordered. */
  readonly newGeographic: boolean;
  /** Nieuw nationaal nummer: new non-geographic (nationwide) numbers can be ordered. */
  readonly newNational: boolean;
  /** Nummerbehoud: numbers can be ported in from another provider. */
  readonly porting: boolean;
}

export type OrderCapability = 'newGeographic' | 'newNational' | 'porting';

export interface CountryEntry extends CountryCapabilities {
  /** ISO 3166-1 alpha-2. */
  readonly iso: string;
  readonly nameNl: string;
  readonly nameEn: string;
  /** Country calling code without "+". */
  readonly callingCode: string;
  /**
   * The country's fixed-line numbers carry no area code (a closed plan), so a new fixed-line
   * number there is a national number, not a geographic one. Only DK in this table: its row
   * offers new national numbers and no geographic ones.
   */
  readonly fixedLineIsNational: boolean;
}

/** Marks in column order I O G N P; "x" is a √ in the original, "." an empty cell. */
type Marks = `${'x' | '.'}${'x' | '.'}${'x' | '.'}${'x' | '.'}${'x' | '.'}`;

function row(
  iso: string,
  nameNl: string,
  nameEn: string,
  callingCode: string,
  marks: Marks,
  fixedLineIsNational = false,
): CountryEntry {
  const [i, o, g, n, p] = marks.split('').map((m) => m === 'x');
  return {
    iso,
    nameNl,
    nameEn,
    callingCode,
    incoming: i,
    outgoingWithInternationalIdentity: o,
    newGeographic: g,
    newNational: n,
    porting: p,
    fixedLineIsNational,
  };
}

/**
 * The Netherlands is the platform's home: regional numbers (new geographic), 085/088 (new
 * national) and porting are all offered, with their own block rules (N1-N3, see number-kind.ts)
 * rather than the international ones.
 */
export const NETHERLANDS: CountryEntry = row('NL', 'Nederland', 'Netherlands', '31', 'xxxxx');

//                                                                         I O G N P
export const COUNTRY_TABLE: readonly CountryEntry[] = [
  NETHERLANDS,
  row('AU', 'Australië', 'Australia', '61', 'x.x..'),
  row('BH', 'Bahrein', 'Bahrain', '973', 'x.x..'),
  row('BE', 'België', 'Belgium', '32', 'xxxxx'),
  row('CA', 'Canada', 'Canada', '1', 'x.x..'),
  row('CY', 'Cyprus', 'Cyprus', '357', 'x.x..'),
  row('DK', 'Denemarken', 'Denmark', '45', 'x..x.', true),
  row('DE', 'Duitsland', 'Germany', '49', 'xxxxx'),
  row('GB', 'Engeland', 'United Kingdom', '44', 'xxx.x'),
  row('EE', 'Estland', 'Estonia', '372', 'x.x..'),
  row('FI', 'Finland', 'Finland', '358', 'x.x..'),
  row('FR', 'Frankrijk', 'France', '33', 'xxxxx'),
  row('GR', 'Griekenland', 'Greece', '30', 'x.x..'),
  row('HU', 'Hongarije', 'Hungary', '36', 'x.x..'),
  row('IE', 'Ierland', 'Ireland', '353', 'x.x..'),
  row('IT', 'Italië', 'Italy', '39', 'x.x..'),
  row('JP', 'Japan', 'Japan', '81', 'x.x..'),
  row('HR', 'Kroatië', 'Croatia', '385', 'x.x..'),
  // Unsure: the row's trailing blank line merges with the repeated header after the page break
  // ("√", one blank, "√", " Land ..."); read like its neighbours as I . G . .
  row('LV', 'Letland', 'Latvia', '371', 'x.x..'),
  row('LT', 'Litouwen', 'Lithuania', '370', 'x.x..'),
  row('LU', 'Luxemburg', 'Luxembourg', '352', 'x.x..'),
  row('NZ', 'Nieuw Zeeland', 'New Zealand', '64', 'x.x..'),
  row('NO', 'Noorwegen', 'Norway', '47', 'x.x..'),
  row('AT', 'Oostenrijk', 'Austria', '43', 'x..x.'),
  row('PL', 'Polen', 'Poland', '48', 'x.x..'),
  row('PT', 'Portugal', 'Portugal', '351', 'xxx.x'),
  // Unsure: extracted on one line as "√  √   " (one empty cell between the marks, two after),
  // which gives I . G . ., the same as most rows.
  row('RO', 'Roemenië', 'Romania', '40', 'x.x..'),
  row('SI', 'Slovenië', 'Slovenia', '386', 'x.x..'),
  row('SK', 'Slowakije', 'Slovakia', '421', 'x.x..'),
  row('ES', 'Spanje', 'Spain', '34', 'x.x..'),
  row('CZ', 'Tsjechië', 'Czechia', '420', 'x.x..'),
  row('US', 'Verenigde Staten', 'United States', '1', 'xxx.x'),
  row('ZA', 'Zuid-Afrika', 'South Africa', '27', 'x.x..'),
];

const BY_ISO: ReadonlyMap<string, CountryEntry> = new Map(COUNTRY_TABLE.map((c) => [c.iso, c]));

/** The coverage of a country by ISO 3166-1 alpha-2 code (any case); undefined when not covered. */
export function countryCapabilities(iso: string): CountryEntry | undefined {
  return BY_ISO.get(iso.trim().toUpperCase());
}

/** "Germany (DE)", as operator messages name a country. */
export function countryLabel(country: Pick<CountryEntry, 'iso' | 'nameEn'>): string {
  return `${country.nameEn} (${country.iso})`;
}

export const CAPABILITY_LABEL: Readonly<Record<OrderCapability, string>> = {
  newGeographic: 'new geographic numbers',
  newNational: 'new national numbers',
  porting: 'number porting',
};
