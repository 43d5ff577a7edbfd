import type { CallLegReport, CallRouting, RouteDecision, RouteRequest } from '@pbx/telephony';
import { waitFor } from './wait-for';

export type Decide = (request: RouteRequest) => RouteDecision | Promise<RouteDecision>;

/** CallRouting that answers with what the test scripts and records every report. */
export class FakeCallRouting implements CallRouting {
  readonly requests: RouteRequest[] = [];
  readonly reports: { readonly callId: string; readonly report: CallLegReport }[] = [];

  constructor(public decide: Decide) {}

  route(request: RouteRequest): Promise<RouteDecision> {
    this.requests.push(request);
    return Promise.resolve(this.decide(request));
  }

  report(callId: string, report: CallLegReport): void {
    this.reports.push({ callId, report });
  }

  /** The kinds reported so far, in order (`ended` with its cause: `ended:normal`). */
  kinds(): string[] {
    return this.reports.map(({ report: r }) => (r.kind === 'ended' ? `ended:${r.cause}` : r.kind));
  }

  /** Waits for a report of `kind` and returns it. */
  async waitForReport<K extends CallLegReport['kind']>(
    kind: K,
    ms = 3000,
  ): Promise<Extract<CallLegReport, { kind: K }>> {
    const found = await waitFor(
      () => this.reports.find((r) => r.report.kind === kind),
      `a ${kind} report (have ${this.kinds().join(', ')})`,
      ms,
    );
    return found.report as Extract<CallLegReport, { kind: K }>;
  }
}
