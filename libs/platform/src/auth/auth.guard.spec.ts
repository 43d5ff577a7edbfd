import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadConfig, platformConfigSchema } from '@pbx/config';
import type { ApiTokenStore, TokenGrant } from './api-token-store';
import { AuthGuard, Roles } from './auth.guard';
import type { Principal } from './principal';

const OPERATOR = 'operator-token-0123456789abcdef0123456789abcdef';
const GROUP_ADMIN_TOKEN = `pbx_${'g'.repeat(43)}`;
const PHONE_TOKEN = `pbx_${'p'.repeat(43)}`;

class Handlers {
  @Roles('operator')
  operatorOnly(): void {}

  anyone(): void {}
}

interface FakeRequest {
  method: string;
  headers: Record<string, unknown>;
  principal?: Principal;
}

function context(
  handler: () => void,
  authorization?: string,
  method = 'GET',
): { ctx: ExecutionContext; request: FakeRequest } {
  const request: FakeRequest = {
    method,
    headers: authorization ? { authorization } : {},
  };
  const ctx = {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => handler,
    getClass: () => Handlers,
  } as unknown as ExecutionContext;
  return { ctx, request };
}

describe(AuthGuard.name, () => {
  const phoneUser: Principal = { role: 'user', tenantId: 't', groupId: 'g', userId: '201' };
  const tokens = {
    grantOf: async (token: string): Promise<TokenGrant | undefined> => {
      if (token === GROUP_ADMIN_TOKEN) {
        return { principal: { role: 'group-admin', tenantId: 't', groupId: 'g' }, readOnly: false };
      }
      return token === PHONE_TOKEN ? { principal: phoneUser, readOnly: true } : undefined;
    },
  } as unknown as ApiTokenStore;
  const guard = new AuthGuard(
    loadConfig(platformConfigSchema, { PBX_OPERATOR_TOKEN: OPERATOR }),
    tokens,
    new Reflector(),
  );

  it('lets the operator token through and records the principal', async () => {
    const { ctx, request } = context(Handlers.prototype.operatorOnly, `Bearer ${OPERATOR}`);
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(request.principal).toEqual({ role: 'operator' });
  });

  it('resolves a stored token and refuses a role the handler does not allow', async () => {
    const { ctx: open, request } = context(
      Handlers.prototype.anyone,
      `Bearer ${GROUP_ADMIN_TOKEN}`,
    );
    await expect(guard.canActivate(open)).resolves.toBe(true);
    expect(request.principal).toEqual({ role: 'group-admin', tenantId: 't', groupId: 'g' });
    const { ctx: closed } = context(Handlers.prototype.operatorOnly, `Bearer ${GROUP_ADMIN_TOKEN}`);
    await expect(guard.canActivate(closed)).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('lets a read-only token read and refuses it anything else', async () => {
    for (const method of ['GET', 'HEAD']) {
      const { ctx, request } = context(Handlers.prototype.anyone, `Bearer ${PHONE_TOKEN}`, method);
      await expect(guard.canActivate(ctx)).resolves.toBe(true);
      expect(request.principal).toEqual(phoneUser);
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const { ctx } = context(Handlers.prototype.anyone, `Bearer ${PHONE_TOKEN}`, method);
      await expect(guard.canActivate(ctx)).rejects.toThrow(/may only read/);
    }
    const { ctx: write } = context(Handlers.prototype.anyone, `Bearer ${GROUP_ADMIN_TOKEN}`, 'PUT');
    await expect(guard.canActivate(write)).resolves.toBe(true);
  });

  it.each([
    undefined,
    'Basic abc',
    'Bearer',
    'Bearer wrong-token',
    `Bearer ${OPERATOR}x`,
    `Bearer ${'x'.repeat(600)}`,
  ])('refuses the authorization header %p', async (header) => {
    const { ctx } = context(Handlers.prototype.anyone, header);
    await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(UnauthorizedException);
  });
});
