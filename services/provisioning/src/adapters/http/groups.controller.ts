import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Put,
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
  CurrentPrincipal,
  Roles,
  type Principal,
} from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import { GroupRepository, type LoadedGroup } from '../../application/group-repository';
import {
  ChangeGroupUseCase,
  type EditableUser,
} from '../../application/usecases/change-group/change-group.usecase';
import {
  deviceView,
  indexDevices,
  page,
  userView,
  type DeviceView,
  type Page,
  type UserView,
} from './group-views';
import { parseInput, parseIfMatch, noSuchUser } from './http-input';
import { ProvisioningErrorFilter } from './provisioning-error.filter';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
});
const deviceBody = z.strictObject({
  username: z.string(),
  password: z.string().optional(),
  kind: z.string(),
  flexHost: z.boolean().optional(),
});
const userBody = z.strictObject({
  name: z.string(),
  email: z.string().optional(),
  profile: z.string(),
  department: z.string().optional(),
  /** U2: whether the user's calls present their caller id by default. */
  presentation: z.enum(['allowed', 'restricted']).optional(),
  numbers: z.array(z.string()).max(10).optional(),
  devices: z.array(deviceBody).max(20).optional(),
});
const userPatch = userBody.partial().omit({ devices: true });
const devicePut = deviceBody.omit({ username: true });

function userOf(group: LoadedGroup, extension: string): UserView {
  const user = group.state.users.get(extension);
  if (!user) {
    throw noSuchUser(group.state.name, extension);
  }
  return userView(group.state, user);
}

/**
 * Users and devices of a group, for its administrators (T7): the operator, the admins of the
 * group's enterprise (T2; their tenant is the enterprise's) and the group's own admins. Every change goes through the
 * group's spec and decider, as a config file would; the ETag is the group's version.
 */
@ApiTags('groups')
@Controller('api/v1/groups')
@UseGuards(AuthGuard)
@Roles('operator', 'enterprise-admin', 'group-admin')
@UseFilters(ProvisioningErrorFilter)
export class GroupsController {
  constructor(
    @Inject(GroupRepository) private readonly groups: GroupRepository,
    @Inject(ChangeGroupUseCase) private readonly changeGroup: ChangeGroupUseCase,
  ) {}

  @Get(':group')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const { state, version } = await this.groups.findFor(principal, name);
    void reply.header('ETag', `"${version}"`);
    return {
      name: state.name,
      tenantId: state.tenantId,
      ...(state.enterprise !== undefined && { enterprise: state.enterprise }),
      ...state.settings,
      users: state.users.size,
      devices: state.devices.size,
      huntGroups: state.huntGroups.size,
    };
  }

  @Get(':group/users')
  @ApiZodQuery(listQuery)
  async listUsers(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Query() query: unknown,
  ): Promise<Page<UserView>> {
    const { limit, cursor } = parseInput(listQuery, query);
    const { state } = await this.groups.findFor(principal, name);
    const result = page(state.users, limit, cursor);
    const devices = indexDevices(state);
    return {
      items: result.items.map(([, user]) => userView(state, user, devices)),
      ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
    };
  }

  @Get(':group/users/:extension')
  async getUser(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Param('extension') extension: string,
  ): Promise<UserView> {
    return userOf(await this.groups.findFor(principal, name), extension);
  }

  /** Creates the user or replaces it; devices given here are the user's whole set. */
  @Put(':group/users/:extension')
  @ApiZodBody(userBody)
  async putUser(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Param('extension') extension: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const input = parseInput(userBody, body);
    const result = await this.changeGroup.execute(
      principal,
      name,
      (spec) => {
        const existing = spec.users.find((u) => u.extension === extension);
        const user: EditableUser = {
          extension,
          name: input.name,
          ...(input.email !== undefined ? { email: input.email } : {}),
          profile: input.profile,
          ...(input.department !== undefined ? { department: input.department } : {}),
          ...(input.presentation !== undefined ? { presentation: input.presentation } : {}),
          numbers: input.numbers ?? existing?.numbers ?? [],
          devices: (input.devices ?? existing?.devices ?? []).map((d) => ({
            ...d,
            flexHost: d.flexHost ?? false,
          })),
        };
        if (existing) spec.users[spec.users.indexOf(existing)] = user;
        else spec.users.push(user);
      },
      parseIfMatch(match),
    );
    void reply.header('ETag', `"${result.version}"`);
    return userOf(result, extension);
  }

  @Patch(':group/users/:extension')
  @ApiZodBody(userPatch)
  async patchUser(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Param('extension') extension: string,
    @Body() body: unknown,
    @Headers('if-match') match: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const input = parseInput(userPatch, body);
    const result = await this.changeGroup.execute(
      principal,
      name,
      (spec) => {
        const user = spec.users.find((u) => u.extension === extension);
        if (!user) throw noSuchUser(name, extension);
        Object.assign(user, input);
      },
      parseIfMatch(match),
    );
    void reply.header('ETag', `"${result.version}"`);
    return userOf(result, extension);
  }

  @Delete(':group/users/:extension')
  @HttpCode(204)
  async deleteUser(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Param('extension') extension: string,
  ): Promise<void> {
    await this.changeGroup.execute(principal, name, (spec) => {
      const index = spec.users.findIndex((u) => u.extension === extension);
      if (index < 0) throw noSuchUser(name, extension);
      spec.users.splice(index, 1);
      for (const hunt of spec.huntGroups)
        hunt.members = hunt.members.filter((m) => m !== extension);
    });
  }

  @Get(':group/devices')
  @ApiZodQuery(listQuery)
  async listDevices(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Query() query: unknown,
  ): Promise<Page<DeviceView>> {
    const { limit, cursor } = parseInput(listQuery, query);
    const { state } = await this.groups.findFor(principal, name);
    const result = page(state.devices, limit, cursor);
    return {
      items: result.items.map(([, d]) => deviceView(state, d)),
      ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
    };
  }

  /** Adds a device to a user or changes it; a password sets new SIP credentials. */
  @Put(':group/users/:extension/devices/:username')
  @ApiZodBody(devicePut)
  async putDevice(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Param('extension') extension: string,
    @Param('username') username: string,
    @Body() body: unknown,
  ): Promise<DeviceView> {
    const input = parseInput(devicePut, body);
    const result = await this.changeGroup.execute(principal, name, (spec) => {
      const user = spec.users.find((u) => u.extension === extension);
      if (!user) throw noSuchUser(name, extension);
      for (const other of spec.users)
        other.devices = other.devices.filter((d) => d.username !== username || other === user);
      const device = {
        username,
        kind: input.kind,
        flexHost: input.flexHost ?? false,
        ...(input.password !== undefined ? { password: input.password } : {}),
      };
      const index = user.devices.findIndex((d) => d.username === username);
      if (index >= 0) user.devices[index] = device;
      else user.devices.push(device);
    });
    const device = result.state.devices.get(username);
    if (!device) throw new TypeError('device missing after put');
    return deviceView(result.state, device);
  }

  @Delete(':group/devices/:username')
  @HttpCode(204)
  async deleteDevice(
    @CurrentPrincipal() principal: Principal,
    @Param('group') name: string,
    @Param('username') username: string,
  ): Promise<void> {
    await this.changeGroup.execute(principal, name, (spec, state) => {
      if (!state.devices.has(username)) {
        throw new ProvisioningError(
          ProvisioningErrorCode.DeviceNotFound,
          `group ${name} has no device ${username.slice(0, 64)}`,
        );
      }
      for (const user of spec.users)
        user.devices = user.devices.filter((d) => d.username !== username);
    });
  }
}
