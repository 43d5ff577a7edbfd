import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  loadAggregate,
  STREAM_DOES_NOT_EXIST,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@pbx/events';
import { EVENT_STORE } from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../../../domain/provisioning.error';
import { groupStreamId, type GroupEvent, type GroupState } from '../../../domain/group/group';
import { groupDecider, type GroupCommand } from '../../../domain/group/group.decider';
import type { GroupSpec } from '../../../domain/group/group-spec';
import type { SpecProblem } from '../../../domain/group/spec-problems';
import { enterpriseTenantName, type EnterpriseEvent } from '../../../domain/enterprise/enterprise';
import type { OperatorTrunkEvent } from '../../../domain/trunk/operator-trunk';
import { operatorTrunkDecider } from '../../../domain/trunk/operator-trunk.decider';
import { enterpriseDecider } from '../../../domain/enterprise/enterprise.decider';
import type { EnterpriseSpec } from '../../../domain/enterprise/enterprise-spec';
import { tenantStreamId, type TenantEvent } from '../../../domain/tenant/tenant';
import { tenantDecider } from '../../../domain/tenant/tenant.decider';
import { groupEventCodec } from '../../../adapters/events/group-event.codec';
import { tenantEventCodec } from '../../../adapters/events/tenant-event.codec';
import { GroupConflicts } from '../../group-conflicts';
import { claimsOf } from '../../group-claims';
import { GroupRepository } from '../../group-repository';
import { EnterpriseRepository } from '../../enterprise-repository';
import { TrunkRepository } from '../../trunk-repository';
import {
  specPath,
  type ApplyDocumentsCommand,
  type DocumentProblem,
  type ManifestDocument,
} from './apply-documents.command';
import {
  describeEnterpriseEvent,
  describeGroupEvent,
  describeOperatorTrunkEvent,
  type ChangeLine,
} from './change-summary';

export interface DocumentResult {
  readonly kind: ManifestDocument['kind'];
  readonly name: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly changes: readonly ChangeLine[];
}

export type ApplyOutcome =
  | {
      readonly ok: true;
      readonly dryRun: boolean;
      readonly changed: boolean;
      readonly results: DocumentResult[];
    }
  | { readonly ok: false; readonly problems: DocumentProblem[] };

interface GroupPlan {
  readonly index: number;
  readonly name: string;
  readonly spec: GroupSpec;
  /** The group's enterprise; for an existing group the decider made sure it did not change. */
  readonly enterprise: string | undefined;
  readonly version: number;
  readonly tenantId: string;
  readonly created: boolean;
  readonly events: readonly GroupEvent[];
}

interface EnterprisePlan {
  readonly index: number;
  readonly name: string;
  readonly version: number;
  readonly tenantId: string;
  readonly created: boolean;
  readonly events: readonly EnterpriseEvent[];
  /** The enterprise's tenant: created with it, renamed with its display name. */
  readonly tenantEvents: readonly TenantEvent[];
  readonly tenantVersion: ExpectedVersion;
}

interface TrunkPlan {
  readonly index: number;
  readonly name: string;
  readonly version: number;
  readonly created: boolean;
  readonly events: readonly OperatorTrunkEvent[];
}

type Doc<K extends ManifestDocument['kind']> = Extract<ManifestDocument, { kind: K }>;

const T3 = 'Group or Enterprise is fixed when a company is created and can never change';

/**
 * `pbx apply`: every document is validated and decided before anything is stored, so a bad file
 * changes nothing. Enterprises come first, so that a group may join an enterprise the same file
 * creates. Then each enterprise's and group's events are appended with the version that was
 * read: a concurrent change makes the apply fail with a conflict rather than overwrite it.
 */
@Injectable()
export class ApplyDocumentsUseCase {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(GroupConflicts) private readonly conflicts: GroupConflicts,
    @Inject(GroupRepository) private readonly groups: GroupRepository,
    @Inject(EnterpriseRepository) private readonly enterprises: EnterpriseRepository,
    @Inject(TrunkRepository) private readonly trunks: TrunkRepository,
  ) {}

  async execute(command: ApplyDocumentsCommand): Promise<ApplyOutcome> {
    const problems: DocumentProblem[] = [];
    const enterprisePlans: EnterprisePlan[] = [];
    const groupPlans: GroupPlan[] = [];
    const trunkPlans: TrunkPlan[] = [];
    const collect = async (index: number, work: () => Promise<void>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        problems.push(...problemsOf(error, index));
      }
    };
    const add = (index: number, list: readonly SpecProblem[]): void => {
      for (const p of list)
        problems.push({ document: index, path: specPath(p.path), message: p.message });
    };

    for (const document of command.documents) {
      if (document.kind !== 'Enterprise') continue;
      await collect(document.index, async () => {
        if ((await this.loadGroup(document.name))?.state.status === 'active') {
          problems.push({
            document: document.index,
            path: 'kind',
            message: `"${document.name}" is a Group: ${T3}; order a new company instead`,
          });
          return;
        }
        const plan = await this.planEnterprise(document);
        if (plan.created) add(document.index, await this.conflicts.checkEnterpriseName(plan.name));
        enterprisePlans.push(plan);
      });
    }
    for (const document of command.documents) {
      if (document.kind !== 'Group') continue;
      await collect(document.index, async () => {
        const plan = await this.planGroup(document, enterprisePlans);
        add(
          document.index,
          await this.conflicts.check(
            { name: plan.name, enterprise: plan.enterprise },
            plan.spec,
            plan.tenantId,
          ),
        );
        groupPlans.push(plan);
      });
    }
    for (const document of command.documents) {
      if (document.kind !== 'Trunk') continue;
      await collect(document.index, async () => {
        trunkPlans.push(await this.planTrunk(document));
      });
    }
    problems.push(...claimsSharedAcrossDocuments(groupPlans));
    if (problems.length > 0) return { ok: false, problems };

    if (!command.dryRun) {
      const persist: [number, () => Promise<unknown>][] = [
        ...enterprisePlans.map((p): [number, () => Promise<unknown>] => [
          p.index,
          () => this.persistEnterprise(p),
        ]),
        ...groupPlans.map((p): [number, () => Promise<unknown>] => [
          p.index,
          () => this.persistGroup(p),
        ]),
        ...trunkPlans.map((p): [number, () => Promise<unknown>] => [
          p.index,
          () => this.trunks.save(p.name, p.events, p.version),
        ]),
      ];
      for (const [index, store] of persist) {
        try {
          await store();
        } catch (error) {
          // Lost a race for a claim to a concurrent apply: the same answer as the pre-check.
          if (error instanceof ProvisioningError && Array.isArray(error.details.problems)) {
            return { ok: false, problems: problemsOf(error, index) };
          }
          throw error;
        }
      }
    }
    const results = [
      ...enterprisePlans.map((plan): DocumentResult & { index: number } => ({
        index: plan.index,
        kind: 'Enterprise',
        name: plan.name,
        action: actionOf(plan),
        changes: plan.events.map(describeEnterpriseEvent),
      })),
      ...groupPlans.map((plan): DocumentResult & { index: number } => ({
        index: plan.index,
        kind: 'Group',
        name: plan.name,
        action: actionOf(plan),
        changes: plan.events.map(describeGroupEvent),
      })),
      ...trunkPlans.map((plan): DocumentResult & { index: number } => ({
        index: plan.index,
        kind: 'Trunk',
        name: plan.name,
        action: actionOf(plan),
        changes: plan.events.map(describeOperatorTrunkEvent),
      })),
    ]
      .sort((a, b) => a.index - b.index)
      .map(({ index: _index, ...result }): DocumentResult => result);
    return {
      ok: true,
      dryRun: command.dryRun,
      changed: results.some((r) => r.action !== 'unchanged'),
      results,
    };
  }

  private loadGroup(name: string): Promise<{ state: GroupState; version: number } | undefined> {
    return loadAggregate(this.store, groupDecider, groupEventCodec, groupStreamId(name));
  }

  private async planGroup(
    document: Doc<'Group'>,
    enterprisePlans: readonly EnterprisePlan[],
  ): Promise<GroupPlan> {
    const { name, spec } = document;
    const loaded = await this.loadGroup(name);
    const state: GroupState = loaded?.state ?? groupDecider.initialState;
    let command: GroupCommand;
    let tenantId: string;
    if (state.status === 'absent') {
      if (await this.enterprises.find(name)) {
        const message = `"${name}" is an Enterprise: ${T3}; order a new company instead`;
        throw new ProvisioningError(ProvisioningErrorCode.ArchitectureIsFixed, message, {
          problems: [{ path: 'kind', message }],
        });
      }
      tenantId =
        spec.enterprise === undefined
          ? randomUUID()
          : await this.enterpriseTenant(spec.enterprise, enterprisePlans);
      command = { type: 'CreateGroup', groupId: name, tenantId, name, spec };
    } else {
      tenantId = state.tenantId;
      command = { type: 'ApplyGroupSpec', groupId: name, spec };
    }
    return {
      index: document.index,
      name,
      spec,
      enterprise: spec.enterprise,
      version: loaded?.version ?? 0,
      tenantId,
      created: state.status === 'absent',
      events: groupDecider.decide(command, state),
    };
  }

  /** An operator-wide trunk: added, changed, or unchanged; a removed one's name may return. */
  private async planTrunk(document: Doc<'Trunk'>): Promise<TrunkPlan> {
    const { state, version } = await this.trunks.load(document.name);
    return {
      index: document.index,
      name: document.name,
      version,
      created: state.status !== 'active',
      events: operatorTrunkDecider.decide({ type: 'ApplyTrunkSpec', spec: document.spec }, state),
    };
  }

  /** The tenant a new group of `enterprise` gets: the enterprise's, also one this file creates. */
  private async enterpriseTenant(
    enterprise: string,
    enterprisePlans: readonly EnterprisePlan[],
  ): Promise<string> {
    const planned = enterprisePlans.find((p) => p.name === enterprise);
    if (planned) return planned.tenantId;
    const { state } = await this.enterprises.load(enterprise);
    if (state.status === 'active') return state.tenantId;
    const message =
      state.status === 'deleted'
        ? `enterprise "${enterprise}" was deleted`
        : `no enterprise named "${enterprise}"; create it first with a kind: Enterprise document, in this file or before`;
    throw new ProvisioningError(ProvisioningErrorCode.EnterpriseNotFound, message, {
      problems: [{ path: 'enterprise', message }],
    });
  }

  private async planEnterprise(document: Doc<'Enterprise'>): Promise<EnterprisePlan> {
    const { name, spec } = document;
    const { state, version } = await this.enterprises.load(name);
    const tenantName = enterpriseTenantName(name, spec.displayName);
    if (state.status !== 'active') {
      // A deleted enterprise's name is never reused: the decider says so.
      const tenantId = randomUUID();
      return {
        index: document.index,
        name,
        version,
        tenantId,
        created: true,
        events: enterpriseDecider.decide({ type: 'CreateEnterprise', name, tenantId, spec }, state),
        tenantEvents: tenantDecider.decide(
          { type: 'CreateTenant', tenantId, name: tenantName, architecture: 'enterprise' },
          tenantDecider.initialState,
        ),
        tenantVersion: STREAM_DOES_NOT_EXIST,
      };
    }
    const events = enterpriseDecider.decide({ type: 'ApplyEnterpriseSpec', name, spec }, state);
    const tenant =
      events.length > 0
        ? await this.renameTenant(state.tenantId, spec, name)
        : { tenantEvents: [], tenantVersion: STREAM_DOES_NOT_EXIST };
    return {
      index: document.index,
      name,
      version,
      tenantId: state.tenantId,
      created: false,
      events,
      ...tenant,
    };
  }

  /** The enterprise's tenant carries its display name (admin screens, invoices, the audit log). */
  private async renameTenant(
    tenantId: string,
    spec: EnterpriseSpec,
    name: string,
  ): Promise<{ tenantEvents: readonly TenantEvent[]; tenantVersion: ExpectedVersion }> {
    const loaded = await loadAggregate(
      this.store,
      tenantDecider,
      tenantEventCodec,
      tenantStreamId(tenantId),
    );
    if (!loaded) return { tenantEvents: [], tenantVersion: STREAM_DOES_NOT_EXIST };
    return {
      tenantEvents: tenantDecider.decide(
        { type: 'UpdateTenant', tenantId, name: enterpriseTenantName(name, spec.displayName) },
        loaded.state,
      ),
      tenantVersion: loaded.version,
    };
  }

  private async persistEnterprise(plan: EnterprisePlan): Promise<void> {
    await this.enterprises.save({
      name: plan.name,
      tenantId: plan.tenantId,
      events: plan.events,
      version: plan.version,
      alsoAppend:
        plan.tenantEvents.length > 0
          ? [
              {
                streamId: tenantStreamId(plan.tenantId),
                events: encodeTenantEvents(plan.tenantEvents, plan.tenantId),
                expectedVersion: plan.tenantVersion,
              },
            ]
          : [],
    });
  }

  private async persistGroup(plan: GroupPlan): Promise<void> {
    // A standalone group is its own tenant; a group of an enterprise has the enterprise's.
    const ownTenant = plan.created && plan.enterprise === undefined;
    const tenantEvents = ownTenant
      ? tenantDecider.decide(
          {
            type: 'CreateTenant',
            tenantId: plan.tenantId,
            name: plan.name,
            architecture: 'group',
            domain: plan.spec.domain,
          },
          tenantDecider.initialState,
        )
      : [];
    await this.groups.save({
      name: plan.name,
      enterprise: plan.enterprise,
      tenantId: plan.tenantId,
      events: plan.events,
      version: plan.version,
      spec: plan.spec,
      alsoAppend: ownTenant
        ? [
            {
              streamId: tenantStreamId(plan.tenantId),
              events: encodeTenantEvents(tenantEvents, plan.tenantId),
            },
          ]
        : [],
    });
  }
}

function encodeTenantEvents(events: readonly TenantEvent[], tenantId: string): NewEvent[] {
  return events.map((e) => ({ ...tenantEventCodec.encode(e), tenant: tenantId }));
}

function actionOf(plan: {
  created: boolean;
  events: readonly unknown[];
}): DocumentResult['action'] {
  return plan.created ? 'created' : plan.events.length > 0 ? 'updated' : 'unchanged';
}

/** A refusal as the file's problems: with their paths, or else at the document's name. */
function problemsOf(error: unknown, index: number): DocumentProblem[] {
  if (!(error instanceof ProvisioningError)) throw error;
  if (Array.isArray(error.details.problems)) {
    return (error.details.problems as SpecProblem[]).map((p) => ({
      document: index,
      path: specPath(p.path),
      message: p.message,
    }));
  }
  return [{ document: index, path: 'metadata.name', message: error.message }];
}

/**
 * Two documents of one file may not claim the same name, number or device name, nor the same
 * domain unless both groups are of one enterprise (T4).
 */
function claimsSharedAcrossDocuments(plans: readonly GroupPlan[]): DocumentProblem[] {
  const first = new Map<string, { plan: GroupPlan; holder: string }>();
  const problems: DocumentProblem[] = [];
  for (const plan of plans) {
    for (const claim of claimsOf({ name: plan.name, enterprise: plan.enterprise }, plan.spec)) {
      const key = `${claim.kind} ${claim.value}`;
      const earlier = first.get(key);
      if (earlier && earlier.plan !== plan && earlier.holder !== claim.holder) {
        problems.push({
          document: plan.index,
          path: specPath(claim.path),
          message: `"${claim.value}" is also claimed by document ${earlier.plan.index + 1} (${earlier.plan.name}) of this file`,
        });
      } else if (!earlier) {
        first.set(key, { plan, holder: claim.holder });
      }
    }
  }
  return problems;
}
