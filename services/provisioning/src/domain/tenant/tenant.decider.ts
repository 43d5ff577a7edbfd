import type { Decider } from '@pbx/events';
import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import {
  assertNever,
  evolveTenant,
  initialTenantState,
  TENANT_ARCHITECTURES,
  type TenantArchitecture,
  type TenantEvent,
  type TenantState,
} from './tenant';

export type TenantCommand =
  | {
      readonly type: 'CreateTenant';
      readonly tenantId: string;
      readonly name: string;
      readonly architecture: string;
      readonly domain?: string;
    }
  | {
      readonly type: 'UpdateTenant';
      readonly tenantId: string;
      readonly name?: string;
      readonly architecture?: string;
    };

// RFC 1035 host names, at least two labels: a SIP domain users register under (T4).
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// Printable text without control characters, as shown on admin screens and invoices.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100 || CONTROL.test(trimmed)) {
    throw new ProvisioningError(
      ProvisioningErrorCode.InvalidTenantName,
      'name must be 1-100 printable characters',
      { name: name.slice(0, 120) },
    );
  }
  return trimmed;
}

function validArchitecture(architecture: string): TenantArchitecture {
  const found = TENANT_ARCHITECTURES.find((a) => a === architecture);
  if (!found) {
    throw new ProvisioningError(
      ProvisioningErrorCode.InvalidArchitecture,
      `architecture must be one of ${TENANT_ARCHITECTURES.join(', ')}, got "${architecture}"`,
    );
  }
  return found;
}

function validDomain(architecture: TenantArchitecture, domain: string | undefined): string {
  const normalised = (domain ?? '').trim().toLowerCase();
  if (architecture === 'enterprise') {
    if (normalised) {
      throw new ProvisioningError(
        ProvisioningErrorCode.InvalidDomain,
        'an enterprise has no domain of its own; each of its groups has one',
      );
    }
    return '';
  }
  if (!DOMAIN.test(normalised)) {
    throw new ProvisioningError(
      ProvisioningErrorCode.InvalidDomain,
      `domain must be a DNS name such as acme.example, got "${(domain ?? '').slice(0, 60)}"`,
    );
  }
  return normalised;
}

function decide(command: TenantCommand, state: TenantState): readonly TenantEvent[] {
  switch (command.type) {
    case 'CreateTenant': {
      if (state.status !== 'absent') {
        throw new ProvisioningError(
          ProvisioningErrorCode.TenantAlreadyExists,
          `tenant ${command.tenantId} already exists`,
        );
      }
      const architecture = validArchitecture(command.architecture);
      return [
        {
          type: 'TenantCreated',
          tenantId: command.tenantId,
          name: validName(command.name),
          architecture,
          domain: validDomain(architecture, command.domain),
        },
      ];
    }
    case 'UpdateTenant': {
      if (state.status !== 'active') {
        throw new ProvisioningError(
          ProvisioningErrorCode.TenantNotFound,
          `tenant ${command.tenantId} does not exist`,
        );
      }
      if (command.architecture !== undefined && command.architecture !== state.architecture) {
        // T3: Group vs Enterprise is fixed at creation; changing it means a new order.
        throw new ProvisioningError(
          ProvisioningErrorCode.ArchitectureIsFixed,
          `tenant ${state.tenantId} is a ${state.architecture}; the architecture is fixed at creation and cannot become ${command.architecture} (order a new tenant instead)`,
        );
      }
      if (command.name === undefined) return [];
      const name = validName(command.name);
      return name === state.name ? [] : [{ type: 'TenantRenamed', tenantId: state.tenantId, name }];
    }
    default:
      return assertNever(command);
  }
}

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  initialState: initialTenantState,
  decide,
  evolve: evolveTenant,
};
