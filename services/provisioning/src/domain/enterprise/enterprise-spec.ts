import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import { formatProblem, SpecProblems, type SpecProblem } from '../group/spec-problems';

/**
 * The desired state of an enterprise: the `spec` of a `kind: Enterprise` document. Small on
 * purpose; what the groups share beyond the tenant and domains comes later.
 */
export interface EnterpriseSpecFields {
  /** Shown on admin screens and invoices; the enterprise's tenant carries it as its name. */
  readonly displayName?: string;
}

declare const validated: unique symbol;
export type EnterpriseSpec = EnterpriseSpecFields & { readonly [validated]: true };

export type EnterpriseSpecValidation =
  | { readonly ok: true; readonly spec: EnterpriseSpec }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const ROOT_FIELDS = ['displayName'] as const;

/** Marks a spec built from an already valid state. */
export function trustedEnterpriseSpec(fields: EnterpriseSpecFields): EnterpriseSpec {
  return fields as EnterpriseSpec;
}

/** Validates an untrusted spec (parsed YAML or JSON), reporting every problem with its path. */
export function validateEnterpriseSpec(input: unknown): EnterpriseSpecValidation {
  const problems = new SpecProblems();
  const root = problems.object(input, '', ROOT_FIELDS);
  if (!root) return { ok: false, problems: problems.all };
  const text = problems.string(root.displayName, 'displayName');
  let displayName: string | undefined;
  if (text !== undefined) {
    displayName = text.trim();
    if (displayName.length === 0 || displayName.length > 100 || CONTROL.test(displayName)) {
      problems.add('displayName', 'must be 1-100 printable characters');
    }
  }
  if (problems.all.length > 0) return { ok: false, problems: problems.all };
  return {
    ok: true,
    spec: trustedEnterpriseSpec(displayName === undefined ? {} : { displayName }),
  };
}

export function enterpriseSpecError(problems: readonly SpecProblem[]): ProvisioningError {
  return new ProvisioningError(
    ProvisioningErrorCode.InvalidEnterpriseSpec,
    `the enterprise spec has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map(formatProblem).join('; ')}`,
    { problems },
  );
}
