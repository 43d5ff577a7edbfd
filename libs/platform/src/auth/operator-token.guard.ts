import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { PlatformConfig } from '@pbx/config';
import { PLATFORM_CONFIG } from '../runtime/tokens';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Operator-only endpoints: `Authorization: Bearer <PBX_OPERATOR_TOKEN>`. Compared as digests in
 * constant time, so neither the token's length nor its prefix leaks through timing.
 */
@Injectable()
export class OperatorTokenGuard implements CanActivate {
  readonly #expected: Buffer | undefined;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.#expected = config.operatorToken ? digest(config.operatorToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (!this.#expected) {
      throw new UnauthorizedException(
        'the operator API is disabled: PBX_OPERATOR_TOKEN is not set',
      );
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match || !timingSafeEqual(digest(match[1]), this.#expected)) {
      throw new UnauthorizedException('a valid operator bearer token is required');
    }
    return true;
  }
}
