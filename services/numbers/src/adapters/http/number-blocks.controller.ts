import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiZodBody,
  ApiZodQuery,
  AuthGuard,
  canAccess,
  CurrentPrincipal,
  Roles,
  type Principal,
} from '@pbx/platform';
import { NumbersError, NumbersErrorCode } from '../../domain/numbers.error';
import { BlockWorkflow } from '../../application/block-workflow';
import { toBlockView, type NumberBlockView } from '../../application/number-block-view';
import { parseInput } from '../../application/validation';
import {
  ORDER_BLOCK_BODY,
  OrderBlockCommand,
} from '../../application/usecases/order-block/order-block.command';
import { OrderBlockUseCase } from '../../application/usecases/order-block/order-block.usecase';
import {
  COMPLETE_ORDER_BODY,
  CompleteOrderCommand,
} from '../../application/usecases/complete-order/complete-order.command';
import { CompleteOrderUseCase } from '../../application/usecases/complete-order/complete-order.usecase';
import {
  CANCEL_ORDER_BODY,
  CancelOrderCommand,
} from '../../application/usecases/cancel-order/cancel-order.command';
import { CancelOrderUseCase } from '../../application/usecases/cancel-order/cancel-order.usecase';
import {
  SPLIT_BLOCK_BODY,
  SplitBlockCommand,
} from '../../application/usecases/split-block/split-block.command';
import {
  SplitBlockUseCase,
  type SplitResult,
} from '../../application/usecases/split-block/split-block.usecase';
import {
  PORT_BLOCK_BODY,
  PortBlockCommand,
} from '../../application/usecases/port-block/port-block.command';
import { PortBlockUseCase } from '../../application/usecases/port-block/port-block.usecase';
import {
  ASSIGN_NUMBER_BODY,
  AssignNumberCommand,
} from '../../application/usecases/assign-number/assign-number.command';
import {
  AssignNumberUseCase,
  type AssignmentView,
} from '../../application/usecases/assign-number/assign-number.usecase';
import { UnassignNumberCommand } from '../../application/usecases/unassign-number/unassign-number.command';
import { UnassignNumberUseCase } from '../../application/usecases/unassign-number/unassign-number.usecase';
import {
  BlockDirectoryQuery,
  type Page,
} from '../projections/block-directory/block-directory.query';
import { ifMatch, numberParam } from './http-input';
import { NumbersErrorFilter } from './numbers-error.filter';

const listQuery = z.strictObject({
  tenantId: z.string().min(1).max(100).optional(),
  state: z.enum(['requested', 'porting', 'active', 'cancelled', 'split']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const blockId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^numberblock-[0-9]{2,15}-[0-9]{1,5}$/.test(blockId)) {
    throw new NumbersError(
      NumbersErrorCode.InvalidRequest,
      'cursor is not one this API handed out',
    );
  }
  return blockId;
}

function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('ETag', `"${view.version}"`);
  return view;
}

/**
 * Number blocks: the operator orders them and runs their lifecycle (N1-N5); a tenant's
 * administrators read their own tenant's blocks and assign their numbers. A block of another
 * tenant is "not found" to them.
 */
@ApiTags('numbers')
@Controller('api/v1/number-blocks')
@UseGuards(AuthGuard)
@Roles('operator')
@UseFilters(NumbersErrorFilter)
export class NumberBlocksController {
  constructor(
    @Inject(BlockWorkflow) private readonly workflow: BlockWorkflow,
    @Inject(BlockDirectoryQuery) private readonly directory: BlockDirectoryQuery,
    @Inject(OrderBlockUseCase) private readonly orderBlock: OrderBlockUseCase,
    @Inject(CompleteOrderUseCase) private readonly completeOrder: CompleteOrderUseCase,
    @Inject(CancelOrderUseCase) private readonly cancelOrder: CancelOrderUseCase,
    @Inject(SplitBlockUseCase) private readonly splitBlock: SplitBlockUseCase,
    @Inject(PortBlockUseCase) private readonly portBlock: PortBlockUseCase,
    @Inject(AssignNumberUseCase) private readonly assignNumber: AssignNumberUseCase,
    @Inject(UnassignNumberUseCase) private readonly unassignNumber: UnassignNumberUseCase,
  ) {}

  @Post()
  @ApiZodBody(ORDER_BLOCK_BODY)
  @HttpCode(201)
  async order(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberBlockView> {
    const view = await this.orderBlock.execute(OrderBlockCommand.create(body));
    void reply.header('Location', `/api/v1/number-blocks/${view.id}`);
    return withEtag(reply, view);
  }

  /** From the block directory (a projection): it may lag a write by a moment. */
  @Get()
  @ApiZodQuery(listQuery)
  @Roles('operator', 'enterprise-admin', 'group-admin')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<Page<NumberBlockView>> {
    const { tenantId, state, limit, cursor } = parseInput(listQuery, query);
    let tenant = tenantId;
    if (principal.role !== 'operator') {
      if (tenantId !== undefined && !canAccess(principal, tenantId)) {
        throw new NumbersError(
          NumbersErrorCode.Forbidden,
          'you may list the blocks of your own tenant only',
        );
      }
      tenant = principal.tenantId;
    }
    return this.directory.list({ tenantId: tenant, state }, limit, decodeCursor(cursor));
  }

  /** From the block's own stream: always current. */
  @Get(':id')
  @Roles('operator', 'enterprise-admin', 'group-admin')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberBlockView> {
    return withEtag(reply, toBlockView(await this.workflow.blocks.findFor(principal, id)));
  }

  @Post(':id/complete')
  @ApiZodBody(COMPLETE_ORDER_BODY)
  @HttpCode(200)
  async complete(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberBlockView> {
    const command = CompleteOrderCommand.create(id, body, ifMatch(match));
    return withEtag(reply, await this.completeOrder.execute(command));
  }

  @Post(':id/cancel')
  @ApiZodBody(CANCEL_ORDER_BODY)
  @HttpCode(200)
  async cancel(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberBlockView> {
    const command = CancelOrderCommand.create(id, body, ifMatch(match));
    return withEtag(reply, await this.cancelOrder.execute(command));
  }

  @Post(':id/split')
  @ApiZodBody(SPLIT_BLOCK_BODY)
  @HttpCode(200)
  async split(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SplitResult> {
    const result = await this.splitBlock.execute(
      SplitBlockCommand.create(id, body, ifMatch(match)),
    );
    void reply.header('ETag', `"${result.block.version}"`);
    return result;
  }

  /** Internal porting (N4): the numbers move to a new port-in order, for this or another tenant. */
  @Post(':id/port')
  @ApiZodBody(PORT_BLOCK_BODY)
  @HttpCode(200)
  async port(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberBlockView> {
    const command = PortBlockCommand.create(id, body, ifMatch(match));
    return withEtag(reply, await this.portBlock.execute(command));
  }

  @Post(':id/assignments')
  @ApiZodBody(ASSIGN_NUMBER_BODY)
  @HttpCode(201)
  @Roles('operator', 'enterprise-admin', 'group-admin')
  async assign(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssignmentView> {
    const command = AssignNumberCommand.create(id, body, ifMatch(match));
    return withEtag(reply, await this.assignNumber.execute(principal, command));
  }

  @Delete(':id/assignments/:number')
  @HttpCode(204)
  @Roles('operator', 'enterprise-admin', 'group-admin')
  async unassign(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('number') number: string,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const command = UnassignNumberCommand.create(id, numberParam(number), ifMatch(match));
    const { version } = await this.unassignNumber.execute(principal, command);
    void reply.header('ETag', `"${version}"`);
  }
}
