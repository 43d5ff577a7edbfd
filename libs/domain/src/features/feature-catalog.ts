import type { Profile } from './profile';
import type { ServicePackId } from './service-pack';

/**
 * Every feature ID of the catalog (FEATURES.md), in catalog order. Issues, tests and services
 * refer to features by these IDs.
 */
export const FEATURE_IDS = [
  'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9',
  'G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9', 'G10', 'G11', 'G12', 'G13', 'G14',
  'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9', 'U10', 'U11', 'U12', 'U13', 'U14',
  'U15', 'U16', 'U17', 'U18', 'U19', 'U20', 'U21', 'U22', 'U23', 'U24', 'U25', 'U26', 'U27',
  'I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7',
  'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9',
  'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9',
  'B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7',
  'N1', 'N2', 'N3', 'N4', 'N5',
] as const; // prettier-ignore

export type FeatureId = (typeof FEATURE_IDS)[number];

/**
 * Who a feature belongs to: a user's call feature, a service of the whole group (PBX), a rule of
 * the tenancy (licences, billing, numbers), or a user option that is ordered on top of a profile.
 */
export type FeatureScope = 'user' | 'group' | 'tenant' | 'option';

/** Which users get a feature without ordering anything extra. */
export type FeatureAvailability =
  /** In every profile whose service packs include this pack. */
  | { readonly kind: 'pack'; readonly pack: ServicePackId }
  /** In exactly these profiles, whatever their packs (the I AM services of Premium+). */
  | { readonly kind: 'profiles'; readonly profiles: readonly Profile[] }
  /** Part of every PBX, not tied to a service pack (tenancy, billing and number rules). */
  | { readonly kind: 'every-pbx' }
  /** Ordered and paid for separately, per user or per group. */
  | { readonly kind: 'add-on' };

/** A part of a feature whose availability differs from the feature's own. */
export interface FeaturePart {
  readonly key: string;
  readonly title: string;
  readonly availability: FeatureAvailability;
}

export interface FeatureDefinition<Id extends FeatureId = FeatureId> {
  readonly id: Id;
  readonly title: string;
  readonly scope: FeatureScope;
  /** Availability of the feature in its basic form; parts may need more. */
  readonly availability: FeatureAvailability;
  readonly parts?: readonly FeaturePart[];
  /** Where the original service description states it (section numbers). */
  readonly source: string;
  /** Why this entry differs from FEATURES.md, where it does (the original wins). */
  readonly note?: string;
}

const B = { kind: 'pack', pack: 'B' } as const;
const P = { kind: 'pack', pack: 'P' } as const;
const M = { kind: 'pack', pack: 'M' } as const;
const I_AM = { kind: 'profiles', profiles: ['premium', 'fixed-mobile-premium'] } as const;
const EVERY_PBX = { kind: 'every-pbx' } as const;
const ADD_ON = { kind: 'add-on' } as const;

/**
 * The feature matrix: every catalog feature with its scope and the packs or profiles that
 * include it. Pack membership follows the original's appendix (section 9, columns VastBasis,
 * VastPremium, VastMobiel), which also ticks group services; sections 3, 4 and 6 place the
 * rest.
 */
export const FEATURES = {
  T1: {
    id: 'T1',
    title: 'Group (IP-PABX Group)',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '2.1',
  },
  T2: { id: 'T2', title: 'Enterprise', scope: 'tenant', availability: EVERY_PBX, source: '2.1' },
  T3: {
    id: 'T3',
    title: 'Architecture is fixed',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '2.1',
  },
  T4: { id: 'T4', title: 'Domains', scope: 'tenant', availability: EVERY_PBX, source: '2.2' },
  T5: {
    id: 'T5',
    title: 'User profiles',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '1.3, 4, 5.9',
  },
  T6: { id: 'T6', title: 'Licence rules', scope: 'tenant', availability: EVERY_PBX, source: '1.2' },
  T7: { id: 'T7', title: 'Admin portal', scope: 'tenant', availability: EVERY_PBX, source: '2.3' },
  T8: {
    id: 'T8',
    title: 'Self-service portal',
    scope: 'user',
    availability: EVERY_PBX,
    parts: [{ key: 'commpilot-express', title: 'CommPilot Express', availability: P }],
    source: '1.2, 4.2',
    note: 'CommPilot Express is one of the services the original assigns individually in Business+ and Premium+ (4.2).',
  },
  T9: {
    id: 'T9',
    title: 'Group forwarding package',
    scope: 'group',
    availability: ADD_ON,
    source: '4.6',
    note: 'Extra forwarding licences ordered for a group: a group add-on.',
  },

  G1: {
    id: 'G1',
    title: 'Auto attendant (IVR)',
    scope: 'group',
    availability: ADD_ON,
    source: '3.1',
    note: 'A PBX option (section 3, "Telefooncentrale opties"), ordered per group.',
  },
  G2: {
    id: 'G2',
    title: 'Group voicemail to e-mail',
    scope: 'group',
    availability: ADD_ON,
    source: '3.2',
    note: 'A PBX option (section 3), ordered per group.',
  },
  G3: {
    id: 'G3',
    title: 'Fax to e-mail',
    scope: 'group',
    availability: ADD_ON,
    source: '3.3',
    note: 'A PBX option (section 3), ordered per group.',
  },
  G4: { id: 'G4', title: 'Hunt group', scope: 'group', availability: EVERY_PBX, source: '4.5' },
  G5: {
    id: 'G5',
    title: 'Night forwarding',
    scope: 'group',
    availability: B,
    source: '4.1, 4.1.1, 9 (Group Night Forwarding)',
  },
  G6: { id: 'G6', title: 'Call park, call pickup', scope: 'group', availability: B, source: '9' },
  G7: {
    id: 'G7',
    title: 'Group paging, instant group call',
    scope: 'group',
    availability: B,
    parts: [{ key: 'instant-group-call', title: 'Instant group call', availability: P }],
    source: '9',
    note: 'Group paging is VastBasis, Instant Group Call VastPremium.',
  },
  G8: {
    id: 'G8',
    title: 'Calling plans',
    scope: 'group',
    availability: B,
    parts: [
      { key: 'enhanced-outgoing', title: 'Enhanced outgoing calling plan', availability: P },
      { key: 'account-codes', title: 'Account/authorization codes', availability: P },
    ],
    source: '9',
    note: 'Incoming and outgoing calling plans are VastBasis; the enhanced plan and account/authorization codes VastPremium.',
  },
  G9: { id: 'G9', title: 'Call capacity management', scope: 'group', availability: B, source: '9' },
  G10: { id: 'G10', title: 'Intercept group', scope: 'group', availability: B, source: '9' },
  G11: {
    id: 'G11',
    title: 'Voice portal',
    scope: 'group',
    availability: B,
    source: '9 (Voice Messaging Group)',
  },
  G12: {
    id: 'G12',
    title: 'Emergency zones, emergency calls',
    scope: 'group',
    availability: B,
    source: '9',
  },
  G13: {
    id: 'G13',
    title: 'Custom ringback (group)',
    scope: 'group',
    availability: P,
    source: '9',
    note: 'Custom Ringback Group (audio and video) is ticked for VastPremium only.',
  },
  G14: {
    id: 'G14',
    title: 'Series completion, inventory report',
    scope: 'group',
    availability: B,
    source: '9',
  },

  U1: {
    id: 'U1',
    title: 'Audio and video calls, basic call logs',
    scope: 'user',
    availability: B,
    source: '4.1, 9',
  },
  U2: {
    id: 'U2',
    title: 'Calling and connected line ID presentation and restriction',
    scope: 'user',
    availability: B,
    source: '4.1, 9',
  },
  U3: { id: 'U3', title: 'Anonymous call rejection', scope: 'user', availability: B, source: '9' },
  U4: {
    id: 'U4',
    title: 'Speed dial 8 and speed dial 100',
    scope: 'user',
    availability: B,
    source: '4.1, 9',
  },
  U5: {
    id: 'U5',
    title: 'Call waiting, hold, transfer, three-way call',
    scope: 'user',
    availability: B,
    source: '4.1, 9',
  },
  U6: { id: 'U6', title: 'Do not disturb', scope: 'user', availability: B, source: '4.1, 9' },
  U7: {
    id: 'U7',
    title: 'Call forwarding',
    scope: 'user',
    availability: B,
    parts: [{ key: 'selective', title: 'Selective call forwarding', availability: P }],
    source: '4.1, 4.2, 9',
  },
  U8: { id: 'U8', title: 'Diversion inhibitor', scope: 'user', availability: B, source: '9' },
  U9: {
    id: 'U9',
    title: 'Intercept user, privacy, barge-in exempt',
    scope: 'user',
    availability: B,
    source: '9',
  },
  U10: {
    id: 'U10',
    title: 'Automatic callback, call return, last number redial',
    scope: 'user',
    availability: B,
    source: '9',
  },
  U11: { id: 'U11', title: 'Alternate numbers', scope: 'user', availability: P, source: '4.2, 9' },
  U12: {
    id: 'U12',
    title: 'Shared call appearance, busy lamp field',
    scope: 'user',
    availability: P,
    source: '4.2, 9',
  },
  U13: {
    id: 'U13',
    title: 'Music and video on hold, custom ringback',
    scope: 'user',
    availability: P,
    source: '4.2, 9',
  },
  U14: { id: 'U14', title: 'N-way call', scope: 'user', availability: P, source: '4.2, 9' },
  U15: {
    id: 'U15',
    title: 'Selective call acceptance and rejection, priority alert',
    scope: 'user',
    availability: P,
    source: '4.2, 9',
  },
  U16: {
    id: 'U16',
    title: 'Directed call pickup (with barge-in)',
    scope: 'user',
    availability: P,
    source: '9',
  },
  U17: {
    id: 'U17',
    title: 'Call notify, pre-alerting announcement',
    scope: 'user',
    availability: P,
    source: '9',
  },
  U18: {
    id: 'U18',
    title: 'Push to talk, automatic hold/retrieve',
    scope: 'user',
    availability: P,
    source: '9',
  },
  U19: {
    id: 'U19',
    title: 'Virtual on-net extensions',
    scope: 'user',
    availability: P,
    source: '9',
  },
  U20: {
    id: 'U20',
    title: 'Voicemail with voicemail-to-e-mail',
    scope: 'user',
    availability: P,
    source: '4.2, 5.4',
  },
  U21: {
    id: 'U21',
    title: 'Flex seating (hot desking)',
    scope: 'user',
    availability: P,
    source: '4.2',
  },
  U22: { id: 'U22', title: 'Personal assistant', scope: 'user', availability: P, source: '4.2' },
  U23: {
    id: 'U23',
    title: 'Reachability: Anywhere, Remote Office, Simultaneous Ring Personal',
    scope: 'user',
    availability: P,
    source: '4.2, 4.3',
  },
  U24: {
    id: 'U24',
    title: 'Executive/assistant',
    scope: 'option',
    availability: ADD_ON,
    source: '6.5',
    note: 'FEATURES.md gives no pack; the original lists it under user options (6, "Gebruikersopties").',
  },
  U25: { id: 'U25', title: 'Call center monitoring', scope: 'user', availability: P, source: '9' },
  U26: {
    id: 'U26',
    title: 'Authentication of devices at registration',
    scope: 'user',
    availability: B,
    source: '9',
  },
  U27: {
    id: 'U27',
    title: 'Feature access codes',
    scope: 'user',
    availability: B,
    parts: [{ key: 'call-move', title: 'Call move between own devices (*11)', availability: M }],
    source: '5.5, 9',
    note: 'FEATURES.md gives no pack; access codes serve VastBasis features (CLID blocking, flash hold, last number redial), and the original describes *11 call move only for fixed-mobile integration.',
  },

  I1: {
    id: 'I1',
    title: 'Contact list with presence',
    scope: 'user',
    availability: I_AM,
    source: '1.3, 4.4',
  },
  I2: { id: 'I2', title: 'Presence states', scope: 'user', availability: I_AM, source: '4.4' },
  I3: { id: 'I3', title: 'Chat', scope: 'user', availability: I_AM, source: '4.4' },
  I4: {
    id: 'I4',
    title: 'Audio/video calls from clients',
    scope: 'user',
    availability: I_AM,
    source: '4.4',
  },
  I5: { id: 'I5', title: 'My Meeting', scope: 'user', availability: I_AM, source: '4.4' },
  I6: { id: 'I6', title: 'Guest access', scope: 'user', availability: I_AM, source: '4.4' },
  I7: {
    id: 'I7',
    title: 'Mobile app features',
    scope: 'user',
    availability: B,
    parts: [{ key: 'visual-voicemail', title: 'Visual voicemail', availability: P }],
    source: '4.7',
    note: 'FEATURES.md files it under Premium+; the original describes the Hipper+ app apart from I AM and "for all HIP+ users" (4.7.2). Visual voicemail needs voicemail (U20).',
  },

  M1: {
    id: 'M1',
    title: 'The mobile is a full PBX extension',
    scope: 'user',
    availability: M,
    source: '5, 9 (BroadWorks Mobility)',
  },
  M2: {
    id: 'M2',
    title: 'Outgoing identity per call',
    scope: 'user',
    availability: M,
    source: '5.1',
  },
  M3: {
    id: 'M3',
    title: 'Call colleagues by extension from the mobile',
    scope: 'user',
    availability: M,
    source: '5.2',
  },
  M4: {
    id: 'M4',
    title: 'Incoming calls ring all devices',
    scope: 'user',
    availability: M,
    source: '5.3',
  },
  M5: {
    id: 'M5',
    title: 'Reachability per number by time schedule',
    scope: 'user',
    availability: M,
    source: '5.3, 5.6',
  },
  M6: {
    id: 'M6',
    title: 'One voicemail box for fixed and mobile',
    scope: 'user',
    availability: M,
    source: '5.4',
  },
  M7: {
    id: 'M7',
    title: 'Call control from the mobile dialer',
    scope: 'user',
    availability: M,
    source: '5.5, 9 (In-call service activation)',
  },
  M8: { id: 'M8', title: 'Survival mode', scope: 'user', availability: M, source: '5.7' },
  M9: {
    id: 'M9',
    title: 'Cost attribution per device',
    scope: 'user',
    availability: M,
    source: '5.8',
  },

  O1: {
    id: 'O1',
    title: 'Receptionist console',
    scope: 'option',
    availability: ADD_ON,
    source: '6.1',
  },
  O2: {
    id: 'O2',
    title: 'Call center Basic',
    scope: 'option',
    availability: ADD_ON,
    source: '6.2',
  },
  O3: {
    id: 'O3',
    title: 'Call center Standard',
    scope: 'option',
    availability: ADD_ON,
    source: '6.2',
  },
  O4: {
    id: 'O4',
    title: 'Call center Premium',
    scope: 'option',
    availability: ADD_ON,
    source: '6.2',
  },
  O5: { id: 'O5', title: 'Agent software', scope: 'option', availability: ADD_ON, source: '6.2' },
  O6: {
    id: 'O6',
    title: 'Supervisor software',
    scope: 'option',
    availability: ADD_ON,
    source: '6.2',
  },
  O7: {
    id: 'O7',
    title: 'Desktop/CRM integration',
    scope: 'option',
    availability: ADD_ON,
    source: '6.3',
  },
  O8: { id: 'O8', title: 'Call recording', scope: 'option', availability: ADD_ON, source: '6.4' },
  O9: {
    id: 'O9',
    title: 'Recording retention',
    scope: 'option',
    availability: ADD_ON,
    source: '6.4.1, 6.4.2',
  },

  B1: {
    id: 'B1',
    title: 'Per-minute or unlimited plan per group',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '7.1',
  },
  B2: {
    id: 'B2',
    title: 'Unlimited applies to all users of a group',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '7.1',
  },
  B3: {
    id: 'B3',
    title: 'International and service numbers rated separately',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '7.1',
  },
  B4: {
    id: 'B4',
    title: 'Switching between per-minute and unlimited',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '7.2, 7.3',
  },
  B5: {
    id: 'B5',
    title: 'Fair use',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '7.5, 7.5.1',
  },
  B6: { id: 'B6', title: 'Abuse', scope: 'tenant', availability: EVERY_PBX, source: '7.6' },
  B7: {
    id: 'B7',
    title: 'Mobile usage per employee, rating per device',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '2.3, 5.8',
  },

  N1: {
    id: 'N1',
    title: 'Regional numbers',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '8',
  },
  N2: {
    id: 'N2',
    title: 'National 085 numbers',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '8',
  },
  N3: {
    id: 'N3',
    title: 'National 088 numbers',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '8',
  },
  N4: {
    id: 'N4',
    title: 'Splitting number blocks',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '8',
  },
  N5: {
    id: 'N5',
    title: 'International numbers',
    scope: 'tenant',
    availability: EVERY_PBX,
    source: '8',
  },
} as const satisfies { readonly [K in FeatureId]: FeatureDefinition<K> };

type FeatureTable = typeof FEATURES;

/** A part of a feature, named `<feature id>.<part key>`: `U7.selective`. */
export type FeaturePartRef = {
  [K in FeatureId]: FeatureTable[K] extends { readonly parts: readonly (infer Part)[] }
    ? Part extends { readonly key: infer Key extends string }
      ? `${K}.${Key}`
      : never
    : never;
}[FeatureId];

/** A feature, or one part of a feature. */
export type FeatureRef = FeatureId | FeaturePartRef;
