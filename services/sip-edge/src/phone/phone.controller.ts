import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
  UseFilters,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PlatformConfig } from '@pbx/config';
import { iceServersFor } from '@pbx/rtp';
import { ApiZodBody, PLATFORM_CONFIG } from '@pbx/platform';
import { phoneConfigView, type IceServerView, type PhoneConfigView } from './phone-config';
import { PhoneErrorFilter } from './phone-error.filter';
import { PhoneSessionError, PhoneSessionErrorCode } from './phone-session.error';
import { StartPhoneSession } from './start-phone-session';

const sessionRequest = z.strictObject({
  username: z.string().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export interface PhoneSessionView {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: { readonly tenantId: string; readonly groupId: string; readonly userId: string };
  readonly device: { readonly username: string; readonly domain: string };
  /** ICE servers with their TURN credentials: for signed-in devices only. */
  readonly iceServers: readonly IceServerView[];
}

/**
 * What the web phone (/phone) asks of the platform before and beside SIP: where the SIP
 * WebSocket is, and a read-only session for the device's user (the call log).
 */
@ApiTags('web phone')
@Controller('api/v1/phone')
@UseFilters(PhoneErrorFilter)
export class PhoneController {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(StartPhoneSession) private readonly sessions: StartPhoneSession,
  ) {}

  /**
   * Public: the SIP WebSocket URLs and the ICE servers that need no credentials. TURN servers
   * (PBX_TURN_*) come with the session: handed to anyone who asks, their credentials would make
   * the TURN server an open relay.
   */
  @Get('config')
  @Header('cache-control', 'no-store')
  phoneConfig(@Req() request: FastifyRequest): PhoneConfigView {
    const open = iceServersFor(this.config).filter((server) => server.credential === undefined);
    return phoneConfigView(this.config, request.headers.host, open);
  }

  /**
   * `{username: "alice@acme.example", password}` with a device's SIP credentials gives a
   * read-only token of the device's user (role user) for 15 minutes, and the ICE servers with
   * their TURN credentials (time-limited with PBX_TURN_SECRET): 401 for wrong credentials, 429
   * after too many attempts.
   */
  @Post('session')
  @ApiZodBody(sessionRequest)
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  async session(@Body() body: unknown, @Req() request: FastifyRequest): Promise<PhoneSessionView> {
    const parsed = sessionRequest.safeParse(body);
    if (!parsed.success) {
      throw new PhoneSessionError(
        PhoneSessionErrorCode.InvalidRequest,
        'send {"username": "user@domain", "password": "..."}',
      );
    }
    const session = await this.sessions.execute({ ...parsed.data, source: request.ip });
    return {
      token: session.token,
      expiresAt: session.expiresAt.toISOString(),
      user: {
        tenantId: session.principal.tenantId,
        groupId: session.principal.groupId,
        userId: session.principal.userId,
      },
      device: session.device,
      iceServers: iceServersFor(this.config),
    };
  }
}
