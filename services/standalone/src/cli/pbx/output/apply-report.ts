import { resourceRef } from '../manifest/pbx-document';
import type { ApplyChange, ApplyResponse, ApplyResult } from '../platform/platform-contract';

const APPLIED: Record<ApplyResult['action'], string> = {
  created: 'created',
  updated: 'configured',
  unchanged: 'unchanged',
};

const WOULD: Record<ApplyResult['action'], string> = {
  created: 'would be created',
  updated: 'would be updated',
  unchanged: 'unchanged',
};

const OP_SIGNS: Record<ApplyChange['op'], string> = { add: '+', remove: '-', change: '~' };

/**
 * kubectl's lines (`group/acme created`, `group/acme configured`, `group/acme unchanged`); a dry
 * run lists each change under its resource. Says `no changes` when nothing changed at all, so that
 * a second apply of the same file visibly did nothing.
 */
export function formatApplyReport(response: ApplyResponse): string {
  const lines: string[] = [];
  for (const result of response.results) {
    const ref = resourceRef(result.kind, result.name);
    if (!response.dryRun) {
      lines.push(`${ref} ${APPLIED[result.action]}`);
      continue;
    }
    lines.push(`${ref}: ${WOULD[result.action]}`);
    for (const change of result.changes) {
      lines.push(`  ${OP_SIGNS[change.op]} ${change.path}: ${change.summary}`);
    }
  }
  if (!response.changed) lines.push('no changes');
  if (response.dryRun) lines.push('(dry run: nothing was changed)');
  return lines.map((line) => `${line}\n`).join('');
}
