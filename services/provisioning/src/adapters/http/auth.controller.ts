import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Patch,
  Post,
  Param,
  Put,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { ApiTags } from '@nestjs/swagger';
import {
  ApiTokenStore,
  ApiZodBody,
  AuthGuard,
  CurrentPrincipal,
  Roles,
  type Principal,
} from '@pbx/platform';
import { ProvisioningError, ProvisioningErrorCode } from '../../domain/provisioning.error';
import { GroupRepository, type LoadedGroup } from '../../application/group-repository';
import { EnterpriseRepository } from '../../application/enterprise-repository';
import { ChangeGroupUseCase } from '../../application/usecases/change-group/change-group.usecase';
import { GroupDirectoryQuery } from '../projections/group-directory/group-directory.query';
import { PortalCredentials } from '../persistence/portal-credentials.repository';
import { userView, type UserView } from './group-views';
import { parseInput, noSuchUser } from './http-input';
import { ProvisioningErrorFilter } from './provisioning-error.filter';

/** Session tokens from a login live this long; API tokens for scripts are issued separately. */
export const SESSION_TTL_SECONDS = 15 * 60;

const login = z.strictObject({ username: z.string().max(320), password: z.string().max(1024) });
const password = z.strictObject({ password: z.string().min(8).max(128) });
const changePassword = z.strictObject({
  currentPassword: z.string().max(1024),
  newPassword: z.string().min(8).max(128),
});
const label = z.string().min(1).max(200);
const ttlSeconds = z
  .number()
  .int()
  .min(60)
  .max(366 * 24 * 3600)
  .optional();
/** A group admin or user token for one group, or (operator only) an enterprise admin token. */
const tokenRequest = z.discriminatedUnion('role', [
  z.strictObject({
    role: z.enum(['group-admin', 'user']),
    group: z.string().max(63),
    extension: z.string().max(10).optional(),
    label,
    ttlSeconds,
  }),
  z.strictObject({
    role: z.literal('enterprise-admin'),
    enterprise: z.string().max(63),
    label,
    ttlSeconds,
  }),
]);
const selfEdit = z.strictObject({
  name: z.string().optional(),
  email: z.string().optional(),
  /** U2: the user's own caller-id presentation default. */
  presentation: z.enum(['allowed', 'restricted']).optional(),
});

const refused = (): ProvisioningError =>
  new ProvisioningError(ProvisioningErrorCode.InvalidCredentials, 'wrong username or password');

/** Logins, tokens and the user's own settings (T8). */
@ApiTags('auth and self-service')
@Controller('api/v1')
@UseFilters(ProvisioningErrorFilter)
export class AuthController {
  constructor(
    @Inject(GroupRepository) private readonly groups: GroupRepository,
    @Inject(GroupDirectoryQuery) private readonly directory: GroupDirectoryQuery,
    @Inject(PortalCredentials) private readonly credentials: PortalCredentials,
    @Inject(ApiTokenStore) private readonly tokens: ApiTokenStore,
    @Inject(ChangeGroupUseCase) private readonly changeGroup: ChangeGroupUseCase,
    @Inject(EnterpriseRepository) private readonly enterprises: EnterpriseRepository,
  ) {}

  /**
   * `201@acme.example` and a portal password give a short-lived session token. Groups of one
   * enterprise may share a domain (T4): the login is the group of the domain that has the
   * extension; when several of them have it, the login is ambiguous and refused exactly like a
   * wrong password (401), so that it tells nothing about the other groups. Such users need
   * extensions that are distinct across the groups sharing the domain.
   */
  @Post('auth/login')
  @ApiZodBody(login)
  @HttpCode(200)
  async login(
    @Body() body: unknown,
  ): Promise<{ token: string; expiresAt: string; user: UserView }> {
    const input = parseInput(login, body);
    const at = input.username.lastIndexOf('@');
    const extension = input.username.slice(0, at);
    const domain = input.username.slice(at + 1).toLowerCase();
    const group = at > 0 ? await this.groupOfLogin(domain, extension) : undefined;
    // Verified also without a group, so that timing does not tell which logins exist.
    const ok = await this.credentials.verify(group?.state.groupId ?? '', extension, input.password);
    const user = group?.state.users.get(extension);
    if (!ok || !group || !user) throw refused();
    const issued = await this.tokens.issue(
      {
        role: 'user',
        tenantId: group.state.tenantId,
        groupId: group.state.groupId,
        userId: extension,
      },
      `login ${input.username}`,
      SESSION_TTL_SECONDS,
    );
    return {
      token: issued.token,
      expiresAt: (issued.expiresAt ?? new Date()).toISOString(),
      user: userView(group.state, user),
    };
  }

  /** An administrator sets a user's portal password. */
  @Put('groups/:group/users/:extension/portal-password')
  @ApiZodBody(password)
  @UseGuards(AuthGuard)
  @Roles('operator', 'enterprise-admin', 'group-admin')
  @HttpCode(204)
  async setPortalPassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Param('group') name: string,
    @Param('extension') extension: string,
  ): Promise<void> {
    const input = parseInput(password, body);
    const group = await this.groups.findFor(principal, name);
    if (!group.state.users.has(extension)) {
      throw noSuchUser(name, extension);
    }
    await this.credentials.set(name, extension, input.password);
  }

  /**
   * API tokens for scripts: the operator for any group, an enterprise admin for the groups of
   * their enterprise, a group admin for their own group. Only the operator issues enterprise
   * admin tokens (`{role: "enterprise-admin", enterprise, label}`).
   */
  @Post('tokens')
  @ApiZodBody(tokenRequest)
  @UseGuards(AuthGuard)
  @Roles('operator', 'enterprise-admin', 'group-admin')
  @HttpCode(201)
  async issueToken(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<{ id: string; token: string; expiresAt?: string }> {
    const input = parseInput(tokenRequest, body);
    if (input.role === 'enterprise-admin') {
      if (principal.role !== 'operator') {
        throw new ProvisioningError(
          ProvisioningErrorCode.Forbidden,
          'only the operator issues enterprise-admin tokens',
        );
      }
      const enterprise = await this.enterprises.findFor(principal, input.enterprise);
      return this.issue(
        { role: 'enterprise-admin', tenantId: enterprise.state.tenantId },
        input.label,
        input.ttlSeconds,
      );
    }
    const group = await this.groups.findFor(principal, input.group);
    let subject: Principal;
    if (input.role === 'user') {
      if (!input.extension || !group.state.users.has(input.extension)) {
        throw new ProvisioningError(
          ProvisioningErrorCode.UserNotFound,
          `group ${input.group} has no user ${(input.extension ?? '').slice(0, 10)}`,
        );
      }
      subject = {
        role: 'user',
        tenantId: group.state.tenantId,
        groupId: group.state.groupId,
        userId: input.extension,
      };
    } else {
      subject = {
        role: 'group-admin',
        tenantId: group.state.tenantId,
        groupId: group.state.groupId,
      };
    }
    return this.issue(subject, input.label, input.ttlSeconds);
  }

  private async issue(
    subject: Principal,
    label: string,
    ttl: number | undefined,
  ): Promise<{ id: string; token: string; expiresAt?: string }> {
    const issued = await this.tokens.issue(subject, label, ttl);
    return {
      id: issued.id,
      token: issued.token,
      ...(issued.expiresAt ? { expiresAt: issued.expiresAt.toISOString() } : {}),
    };
  }

  /** The one live group on `domain` that has `extension`; none when no group or several do. */
  private async groupOfLogin(domain: string, extension: string): Promise<LoadedGroup | undefined> {
    const having: LoadedGroup[] = [];
    for (const name of await this.directory.groupsOfDomain(domain)) {
      const group = await this.groups.find(name);
      if (group?.state.users.has(extension)) having.push(group);
    }
    return having.length === 1 ? having[0] : undefined;
  }

  @Get('me')
  @UseGuards(AuthGuard)
  @Roles('user')
  async me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    const { group, extension } = await this.self(principal);
    const user = group.state.users.get(extension);
    if (!user)
      throw new ProvisioningError(ProvisioningErrorCode.UserNotFound, 'your user no longer exists');
    return userView(group.state, user);
  }

  /**
   * A user changes their own name, e-mail and caller-id presentation (U2); profile, numbers and
   * devices are the admin's.
   */
  @Patch('me')
  @ApiZodBody(selfEdit)
  @UseGuards(AuthGuard)
  @Roles('user')
  async editMe(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<UserView> {
    const input = parseInput(selfEdit, body);
    const { extension } = await this.self(principal);
    const groupName = (principal as Extract<Principal, { role: 'user' }>).groupId;
    const result = await this.changeGroup.execute(principal, groupName, (spec) => {
      const user = spec.users.find((u) => u.extension === extension);
      if (!user)
        throw new ProvisioningError(
          ProvisioningErrorCode.UserNotFound,
          'your user no longer exists',
        );
      if (input.name !== undefined) user.name = input.name;
      if (input.email !== undefined) user.email = input.email;
      if (input.presentation !== undefined) user.presentation = input.presentation;
    });
    const user = result.state.users.get(extension);
    if (!user)
      throw new ProvisioningError(ProvisioningErrorCode.UserNotFound, 'your user no longer exists');
    return userView(result.state, user);
  }

  @Put('me/password')
  @ApiZodBody(changePassword)
  @UseGuards(AuthGuard)
  @Roles('user')
  @HttpCode(204)
  async changeMyPassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<void> {
    const input = parseInput(changePassword, body);
    const { group, extension } = await this.self(principal);
    if (!(await this.credentials.verify(group.state.name, extension, input.currentPassword)))
      throw refused();
    await this.credentials.set(group.state.name, extension, input.newPassword);
  }

  private async self(
    principal: Principal,
  ): Promise<{ group: Awaited<ReturnType<GroupRepository['findFor']>>; extension: string }> {
    if (principal.role !== 'user')
      throw new ProvisioningError(ProvisioningErrorCode.Forbidden, 'only a user has a "me"');
    return {
      group: await this.groups.findFor(principal, principal.groupId),
      extension: principal.userId,
    };
  }
}
