/**
 * Service packs as the original names them (section 9, columns VastBasis, VastPremium,
 * VastMobiel). Each pack contains everything of the packs before it: every feature ticked for
 * VastBasis is also ticked for VastPremium and VastMobiel, and every VastPremium feature is also
 * ticked for VastMobiel.
 */
export const SERVICE_PACK_IDS = ['B', 'P', 'M'] as const;

export type ServicePackId = (typeof SERVICE_PACK_IDS)[number];

export interface ServicePack {
  readonly id: ServicePackId;
  /** The name in the original service description. */
  readonly name: 'VastBasis' | 'VastPremium' | 'VastMobiel';
  /** Every pack whose features this pack contains, itself included. */
  readonly contains: readonly ServicePackId[];
}

export const SERVICE_PACKS: { readonly [K in ServicePackId]: ServicePack & { readonly id: K } } = {
  B: { id: 'B', name: 'VastBasis', contains: ['B'] },
  P: { id: 'P', name: 'VastPremium', contains: ['B', 'P'] },
  M: { id: 'M', name: 'VastMobiel', contains: ['B', 'P', 'M'] },
};
