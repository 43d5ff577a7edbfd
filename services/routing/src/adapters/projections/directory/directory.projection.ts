import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import type { DirectoryCache } from '../../../application/directory-cache';
import type { DirectoryChange } from '../../../domain/directory/directory';
import { AfterCommit } from './after-commit';
import { writeDirectoryChange } from './directory-tables';
import { directoryChangesOf } from './provisioning-changes';

/**
 * Routing's directory from `pbx.provisioning.v1`: written to routing's tables in the projection's
 * transaction, and into the in-memory index route() reads once that transaction commits.
 */
export function directoryProjection(cache: DirectoryCache): Projection {
  const afterCommit = new AfterCommit<DirectoryChange>((changes) => cache.applyCommitted(changes));
  return {
    name: CONSUMER_GROUPS.routingDirectory,
    topics: [TOPICS.provisioning],

    async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
      const changes = directoryChangesOf(envelope.type, envelope.data, envelope.tenant);
      for (const change of changes) await writeDirectoryChange(tx, change);
      afterCommit.add(tx, changes);
    },

    async reset(tx: EntityManager): Promise<void> {
      const reset: DirectoryChange = { kind: 'reset' };
      await writeDirectoryChange(tx, reset);
      afterCommit.add(tx, [reset]);
    },
  };
}
