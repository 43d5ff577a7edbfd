import { Controller, Get, Inject, Param, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiZodQuery,
  AuthGuard,
  canAccess,
  CurrentPrincipal,
  Roles,
  type Principal,
} from '@pbx/platform';
import { DirectoryCache } from '../../application/directory-cache';
import { RoutingError, RoutingErrorCode } from '../../domain/routing.error';
import {
  CallRecordsQuery,
  type CallRecordRow,
} from '../projections/call-records/call-records.query';
import {
  callRecordView,
  listQuery,
  parseListQuery,
  toPage,
  type CallPage,
  type CallRecordView,
  type ViewerSide,
} from './call-record-view';
import { RoutingErrorFilter } from './routing-error.filter';

const ID = /^[A-Za-z0-9._:-]{1,100}$/;

function callNotFound(callId: string): RoutingError {
  return new RoutingError(
    RoutingErrorCode.CallNotFound,
    `call ${callId.slice(0, 100)} does not exist`,
  );
}

/** Whether `principal` administers the caller's or the callee's side of a call, and which. */
function sideOf(principal: Principal, row: CallRecordRow): ViewerSide | undefined {
  if (
    row.caller_tenant_id !== null &&
    canAccess(principal, row.caller_tenant_id, row.caller_group_id ?? undefined)
  ) {
    return 'caller';
  }
  // An outside caller's call belongs to the callee's side; so does the tenant of an inbound call.
  const calleeTenant = row.callee_tenant_id ?? (row.direction === 'inbound' ? row.tenant_id : null);
  if (
    calleeTenant !== null &&
    canAccess(principal, calleeTenant, row.callee_group_id ?? undefined)
  ) {
    return 'callee';
  }
  return undefined;
}

/**
 * Call detail records (U1): a group's calls for its administrators (T7), a user's own call log,
 * and one call. Another tenant's group or call is 404.
 */
@ApiTags('calls')
@Controller('api/v1')
@UseGuards(AuthGuard)
@UseFilters(RoutingErrorFilter)
export class CallRecordsController {
  constructor(
    @Inject(CallRecordsQuery) private readonly records: CallRecordsQuery,
    @Inject(DirectoryCache) private readonly directory: DirectoryCache,
  ) {}

  @Get('groups/:groupId/calls')
  @Roles('operator', 'enterprise-admin', 'group-admin')
  @ApiZodQuery(listQuery)
  async groupCalls(
    @CurrentPrincipal() principal: Principal,
    @Param('groupId') groupId: string,
    @Query() query: unknown,
  ): Promise<CallPage> {
    const { limit, after } = parseListQuery(query);
    const group = ID.test(groupId) ? this.directory.index.group(groupId) : undefined;
    if (!group || !canAccess(principal, group.tenantId, group.groupId)) {
      throw new RoutingError(
        RoutingErrorCode.GroupNotFound,
        `group ${groupId.slice(0, 63)} does not exist`,
      );
    }
    const rows = await this.records.forGroup(group.groupId, limit, after);
    return toPage(rows, limit, (row) =>
      row.caller_group_id === group.groupId ? 'caller' : 'callee',
    );
  }

  @Get('me/calls')
  @Roles('user')
  @ApiZodQuery(listQuery)
  async myCalls(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<CallPage> {
    if (principal.role !== 'user') {
      throw new RoutingError(RoutingErrorCode.Forbidden, 'only a user has a call log');
    }
    const { limit, after } = parseListQuery(query);
    const rows = await this.records.forUser(principal.groupId, principal.userId, limit, after);
    return toPage(rows, limit, (row) =>
      row.caller_group_id === principal.groupId && row.caller_user_id === principal.userId
        ? 'caller'
        : 'callee',
    );
  }

  @Get('calls/:callId')
  @Roles('operator', 'enterprise-admin', 'group-admin')
  async call(
    @CurrentPrincipal() principal: Principal,
    @Param('callId') callId: string,
  ): Promise<CallRecordView> {
    const row = ID.test(callId) ? await this.records.get(callId) : undefined;
    const side = row && sideOf(principal, row);
    if (!row || !side) throw callNotFound(callId);
    return callRecordView(row, side);
  }
}
