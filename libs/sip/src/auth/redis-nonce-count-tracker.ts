import type { Redis } from 'ioredis';
import type { NonceCountOutcome, NonceCountTracker, NonceCountUse } from './nonce-count-tracker';

/*
 * Check and remember in one step on the server, so two edge instances that see the same nonce
 * count at once cannot both accept it: 1 = higher than anything seen (stored, expiring with the
 * nonce), 0 = not higher (a replay).
 */
const RECORD = `
local seen = redis.call('GET', KEYS[1])
if seen and tonumber(seen) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * Nonce counts shared by every SIP edge instance through Redis (REDIS_URL). Entries expire with
 * their nonce. Run Redis without an eviction policy that drops keys early (noeviction or a
 * volatile-* policy with room): a count evicted before its nonce expires could be replayed.
 */
export class RedisNonceCountTracker implements NonceCountTracker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'pbx:sip:nc:',
  ) {}

  async record(use: NonceCountUse): Promise<NonceCountOutcome> {
    const ttlMs = Math.max(1, Math.ceil(use.expiresAt - use.now));
    const stored = await this.redis.eval(
      RECORD,
      1,
      `${this.prefix}${use.nonce}`,
      String(use.nonceCount),
      String(ttlMs),
    );
    return stored === 1 ? 'fresh' : 'replay';
  }
}
