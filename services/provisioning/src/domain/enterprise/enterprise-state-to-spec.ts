import type { ActiveEnterpriseState } from './enterprise';
import { trustedEnterpriseSpec, type EnterpriseSpec } from './enterprise-spec';

/** The spec `pbx get enterprise <name> -o yaml` prints; applying it back changes nothing. */
export function enterpriseStateToSpec(state: ActiveEnterpriseState): EnterpriseSpec {
  return trustedEnterpriseSpec(
    state.displayName === undefined ? {} : { displayName: state.displayName },
  );
}
