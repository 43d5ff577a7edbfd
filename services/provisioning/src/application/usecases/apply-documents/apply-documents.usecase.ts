import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { loadAggregate, type EventStore } from '@pbx/events';
import { EVENT_STORE } from '@pbx/platform';
import { ProvisioningError } from '../../../domain/provisioning.error';
import { groupStreamId, type GroupEvent, type GroupState } from '../../../domain/group/group';
import { groupDecider, type GroupCommand } from '../../../domain/group/group.decider';
import type { GroupSpec } from '../../../domain/group/group-spec';
import type { SpecProblem } from '../../../domain/group/spec-problems';
import { tenantStreamId } from '../../../domain/tenant/tenant';
import { tenantDecider } from '../../../domain/tenant/tenant.decider';
import { groupEventCodec } from '../../../adapters/events/group-event.codec';
import { tenantEventCodec } from '../../../adapters/events/tenant-event.codec';
import { GroupConflicts } from '../../group-conflicts';
import { claimsOf } from '../../group-claims';
import { GroupRepository } from '../../group-repository';
import {
  specPath,
  type ApplyDocumentsCommand,
  type DocumentProblem,
} from './apply-documents.command';
import { describeGroupEvent, type ChangeLine } from './change-summary';

export interface DocumentResult {
  readonly kind: 'Group';
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

interface Plan {
  readonly index: number;
  readonly name: string;
  readonly spec: GroupSpec;
  readonly version: number;
  readonly tenantId: string;
  readonly created: boolean;
  readonly events: readonly GroupEvent[];
}

/**
 * `pbx apply`: every document is validated and decided before anything is stored, so a bad file
 * changes nothing. Then each group's events are appended with the version that was read: a
 * concurrent change makes the apply fail with a conflict rather than overwrite it.
 */
@Injectable()
export class ApplyDocumentsUseCase {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(GroupConflicts) private readonly conflicts: GroupConflicts,
    @Inject(GroupRepository) private readonly groups: GroupRepository,
  ) {}

  async execute(command: ApplyDocumentsCommand): Promise<ApplyOutcome> {
    const problems: DocumentProblem[] = [];
    const plans: Plan[] = [];
    for (const document of command.documents) {
      const index = document.index;
      const add = (list: readonly SpecProblem[]): void => {
        for (const p of list)
          problems.push({ document: index, path: specPath(p.path), message: p.message });
      };
      if (document.kind === 'Enterprise') {
        problems.push({
          document: index,
          path: 'kind',
          message: await this.enterpriseRefusal(document.name),
        });
        continue;
      }
      try {
        const plan = { ...(await this.plan(document.name, document.spec)), index };
        add(await this.conflicts.check(document.name, document.spec));
        plans.push(plan);
      } catch (error) {
        if (error instanceof ProvisioningError && Array.isArray(error.details.problems)) {
          add(error.details.problems as SpecProblem[]);
        } else if (error instanceof ProvisioningError) {
          problems.push({ document: index, path: 'metadata.name', message: error.message });
        } else {
          throw error;
        }
      }
    }
    problems.push(...claimsSharedAcrossDocuments(plans));
    if (problems.length > 0) return { ok: false, problems };
    if (!command.dryRun) {
      for (const plan of plans) {
        try {
          await this.persist(plan);
        } catch (error) {
          // Lost a race for a claim to a concurrent apply: the same answer as the pre-check.
          if (error instanceof ProvisioningError && Array.isArray(error.details.problems)) {
            return {
              ok: false,
              problems: (error.details.problems as SpecProblem[]).map((p) => ({
                document: plan.index,
                path: specPath(p.path),
                message: p.message,
              })),
            };
          }
          throw error;
        }
      }
    }
    const results = plans.map((plan): DocumentResult => ({
      kind: 'Group',
      name: plan.name,
      action: plan.created ? 'created' : plan.events.length > 0 ? 'updated' : 'unchanged',
      changes: plan.events.map(describeGroupEvent),
    }));
    return {
      ok: true,
      dryRun: command.dryRun,
      changed: results.some((r) => r.action !== 'unchanged'),
      results,
    };
  }

  private async plan(name: string, spec: GroupSpec): Promise<Omit<Plan, 'index'>> {
    const loaded = await loadAggregate(
      this.store,
      groupDecider,
      groupEventCodec,
      groupStreamId(name),
    );
    const state: GroupState = loaded?.state ?? groupDecider.initialState;
    let command: GroupCommand;
    let tenantId: string;
    if (state.status === 'absent') {
      tenantId = randomUUID();
      command = { type: 'CreateGroup', groupId: name, tenantId, name, spec };
    } else {
      tenantId = state.tenantId;
      command = { type: 'ApplyGroupSpec', groupId: name, spec };
    }
    return {
      name,
      spec,
      version: loaded?.version ?? 0,
      tenantId,
      created: state.status === 'absent',
      events: groupDecider.decide(command, state),
    };
  }

  /** T3: a group never becomes an enterprise; enterprises themselves come in a later version. */
  private async enterpriseRefusal(name: string): Promise<string> {
    const loaded = await loadAggregate(
      this.store,
      groupDecider,
      groupEventCodec,
      groupStreamId(name),
    );
    if (loaded?.state.status === 'active') {
      return `"${name}" is a Group: Group or Enterprise is fixed when a company is created and can never change; order a new company instead`;
    }
    return 'Enterprise documents are not supported by this version yet; use kind: Group';
  }

  private async persist(plan: Plan): Promise<void> {
    const tenantEvents = plan.created
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
      tenantId: plan.tenantId,
      events: plan.events,
      version: plan.version,
      spec: plan.spec,
      alsoAppend: plan.created
        ? [
            {
              streamId: tenantStreamId(plan.tenantId),
              events: tenantEvents.map((e) => ({
                ...tenantEventCodec.encode(e),
                tenant: plan.tenantId,
              })),
            },
          ]
        : [],
    });
  }
}

/** Two documents of one file may not claim the same domain, number or device name. */
function claimsSharedAcrossDocuments(plans: readonly Plan[]): DocumentProblem[] {
  const first = new Map<string, { plan: Plan; path: string }>();
  const problems: DocumentProblem[] = [];
  for (const plan of plans) {
    for (const claim of claimsOf(plan.spec)) {
      const key = `${claim.kind} ${claim.value}`;
      const earlier = first.get(key);
      if (earlier && earlier.plan !== plan) {
        problems.push({
          document: plan.index,
          path: specPath(claim.path),
          message: `"${claim.value}" is also claimed by document ${earlier.plan.index + 1} (${earlier.plan.name}) of this file`,
        });
      } else if (!earlier) {
        first.set(key, { plan, path: claim.path });
      }
    }
  }
  return problems;
}
