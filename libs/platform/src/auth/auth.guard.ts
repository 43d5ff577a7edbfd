import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  createParamDecorator,
  CustomDecorator,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PlatformConfig } from '@pbx/config';
import { PLATFORM_CONFIG } from '../runtime/tokens';
import { ApiTokenStore, type TokenGrant } from './api-token-store';
import type { Principal, Role } from './principal';

const ROLES_KEY = 'pbx:roles';

/** The roles that may call a controller or handler; the most specific declaration wins. */
export function Roles(...roles: Role[]): CustomDecorator<string> {
  return SetMetadata(ROLES_KEY, roles);
}

interface AuthenticatedRequest {
  method?: string;
  headers: Record<string, unknown>;
  principal?: Principal;
}

/** The caller, as the AuthGuard resolved it. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new UnauthorizedException('not authenticated');
    return principal;
  },
);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** What a read-only token may do (RFC 9110 9.2.1 safe methods that this API serves). */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Resolves `Authorization: Bearer <token>` to a principal: the operator token of the
 * configuration (compared as digests in constant time), or an API/session token from the store.
 * Then checks the handler's @Roles. Which tenant a principal may touch is the use case's check
 * (`canAccess`), because only it knows which tenant a resource belongs to.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  readonly #operator: Buffer | undefined;

  constructor(
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    @Inject(ApiTokenStore) private readonly tokens: ApiTokenStore,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {
    this.#operator = config.operatorToken ? digest(config.operatorToken) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S{1,512})$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('a bearer token is required');
    const grant = await this.resolve(match[1]);
    if (!grant)
      throw new UnauthorizedException('the token is not valid (unknown, expired or revoked)');
    if (grant.readOnly && !READ_METHODS.has((request.method ?? '').toUpperCase())) {
      throw new ForbiddenException('this token may only read (GET); sign in to change anything');
    }
    const principal = grant.principal;
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenException(`this needs one of the roles ${roles.join(', ')}`);
    }
    return true;
  }

  private async resolve(token: string): Promise<TokenGrant | undefined> {
    if (this.#operator && timingSafeEqual(digest(token), this.#operator))
      return { principal: { role: 'operator' }, readOnly: false };
    return this.tokens.grantOf(token);
  }
}
