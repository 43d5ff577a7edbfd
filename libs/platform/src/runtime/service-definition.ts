import type { Type } from '@nestjs/common';
import type { Projection } from '@pbx/events';
import type { MigrationClass } from '../database/database-connection';

/** What a service contributes to a process: its Nest module, schema and read models. */
export interface ServiceDefinition {
  /** e.g. `provisioning`; also the CloudEvents source `/pbx/<name>`. */
  readonly name: string;
  readonly module: Type<unknown>;
  readonly migrations?: readonly MigrationClass[];
  readonly projections?: readonly Projection[];
}
