import type { ApplyResponse, ApplyResult } from '../platform/platform-contract';
import { formatApplyReport } from './apply-report';

const result = (
  action: ApplyResult['action'],
  changes: ApplyResult['changes'] = [],
): ApplyResult => ({
  kind: 'Group',
  name: 'acme',
  action,
  changes,
});

const response = (dryRun: boolean, ...results: ApplyResult[]): ApplyResponse => ({
  dryRun,
  changed: results.some((r) => r.action !== 'unchanged'),
  results,
});

describe(formatApplyReport.name, () => {
  it.each([
    ['created', 'group/acme created\n'],
    ['updated', 'group/acme configured\n'],
  ] as const)('says %s as kubectl does', (action, text) => {
    expect(formatApplyReport(response(false, result(action)))).toBe(text);
  });

  it('says so when nothing changed', () => {
    expect(formatApplyReport(response(false, result('unchanged')))).toBe(
      'group/acme unchanged\nno changes\n',
    );
  });

  it('lists the changes of a dry run and that nothing was changed', () => {
    const changes: ApplyResult['changes'] = [
      { op: 'add', path: 'spec.users[extension=204]', summary: 'user 204 (Dan Visser) added' },
      { op: 'remove', path: 'spec.users[extension=203]', summary: 'user 203 (Carol Smit) removed' },
      { op: 'change', path: 'spec.users[extension=201].profile', summary: 'premium -> business' },
    ];
    expect(formatApplyReport(response(true, result('updated', changes)))).toBe(
      [
        'group/acme: would be updated',
        '  + spec.users[extension=204]: user 204 (Dan Visser) added',
        '  - spec.users[extension=203]: user 203 (Carol Smit) removed',
        '  ~ spec.users[extension=201].profile: premium -> business',
        '(dry run: nothing was changed)',
        '',
      ].join('\n'),
    );
  });

  it('says a dry run without changes changes nothing', () => {
    expect(formatApplyReport(response(true, result('unchanged')))).toBe(
      'group/acme: unchanged\nno changes\n(dry run: nothing was changed)\n',
    );
  });
});
