import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Binding, ExpiredBinding } from './binding';
import type { BindingStore, BindingUpdate, BindingUpdateResult, Removal } from './binding-store';
import { REMOVE_SCRIPT, SWEEP_SCRIPT, UPDATE_SCRIPT } from './redis-binding-scripts';

export interface RedisBindingStoreOptions {
  /** Default `pbx:reg:`. */
  readonly prefix?: string;
  /**
   * How long an AOR's hash outlives its last binding. The sweep reports expired bindings; the
   * key's own expiry only guarantees nothing is left behind if no edge instance sweeps.
   */
  readonly graceMs?: number;
}

/** EVALSHA, falling back to EVAL once when Redis does not know the script yet. */
class LuaScript {
  readonly #sha: string;
  constructor(private readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly string[]): Promise<string> {
    try {
      return String(await redis.evalsha(this.#sha, keys.length, ...keys, ...args));
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return String(await redis.eval(this.source, keys.length, ...keys, ...args));
    }
  }
}

const UPDATE = new LuaScript(UPDATE_SCRIPT);
const REMOVE = new LuaScript(REMOVE_SCRIPT);
const SWEEP = new LuaScript(SWEEP_SCRIPT);

/**
 * Bindings shared by every edge instance through Redis (REDIS_URL): a hash per AOR
 * (`<prefix>aor:<aor>`) and a sorted set of AORs by earliest expiry (`<prefix>expiries`),
 * changed only by Lua scripts, so that the RFC 3261 section 10.3 checks and the writes of one
 * REGISTER are atomic and a binding's expiry is reported by one instance only. Both keys of a
 * script must live on one node: with Redis Cluster, give a prefix with a hash tag (`{pbx:reg}:`).
 */
export class RedisBindingStore implements BindingStore {
  readonly #prefix: string;
  readonly #grace: string;

  constructor(
    private readonly redis: Redis,
    options: RedisBindingStoreOptions = {},
  ) {
    this.#prefix = options.prefix ?? 'pbx:reg:';
    this.#grace = String(options.graceMs ?? 3_600_000);
  }

  async update(aor: string, update: BindingUpdate): Promise<BindingUpdateResult> {
    const args = [
      aor,
      String(update.now),
      update.callId,
      String(update.cseq),
      String(update.maxBindings),
      update.removeAll === true ? '1' : '0',
      this.#grace,
    ];
    for (const change of update.changes) {
      if (change.kind === 'set') args.push('set', JSON.stringify(change.binding));
      else args.push('remove', change.key);
    }
    const reply = JSON.parse(await UPDATE.run(this.redis, this.#keys(aor), args)) as Record<
      string,
      unknown
    >;
    if (reply.status === 'out-of-order') {
      return { status: 'out-of-order', expired: bindingsOf(reply.expired) };
    }
    return {
      status: 'ok',
      bindings: bindingsOf(reply.bindings),
      added: bindingsOf(reply.added),
      removed: bindingsOf(reply.removed),
      evicted: bindingsOf(reply.evicted),
      expired: bindingsOf(reply.expired),
    };
  }

  upsert(
    aor: string,
    binding: Binding,
    now: number,
    maxBindings: number,
  ): Promise<BindingUpdateResult> {
    return this.update(aor, {
      callId: binding.callId,
      cseq: binding.cseq,
      now,
      maxBindings,
      changes: [{ kind: 'set', binding }],
    });
  }

  remove(aor: string, key: string, now: number): Promise<Removal> {
    return this.#remove(aor, key, now);
  }

  removeAll(aor: string, now: number): Promise<Removal> {
    return this.#remove(aor, '', now);
  }

  async list(aor: string, now: number): Promise<readonly Binding[]> {
    const values = await this.redis.hvals(this.#keys(aor)[0]);
    return values.map(parseBinding).filter((b) => b.expiresAt > now);
  }

  async sweep(now: number, limit: number): Promise<readonly ExpiredBinding[]> {
    const [, index] = this.#keys('');
    const aors = await this.redis.zrangebyscore(index, '-inf', String(now), 'LIMIT', 0, limit);
    const out: ExpiredBinding[] = [];
    for (const aor of aors) {
      if (out.length >= limit) break;
      const reply = await SWEEP.run(this.redis, this.#keys(aor), [aor, String(now), this.#grace]);
      for (const binding of bindingsOf(JSON.parse(reply))) out.push({ aor, binding });
    }
    return out;
  }

  async #remove(aor: string, key: string, now: number): Promise<Removal> {
    const reply = JSON.parse(
      await REMOVE.run(this.redis, this.#keys(aor), [aor, String(now), this.#grace, key]),
    ) as Record<string, unknown>;
    return { live: bindingsOf(reply.live), expired: bindingsOf(reply.expired) };
  }

  #keys(aor: string): [string, string] {
    return [`${this.#prefix}aor:${aor}`, `${this.#prefix}expiries`];
  }
}

function bindingsOf(value: unknown): Binding[] {
  return Array.isArray(value) ? value.map((v) => parseBinding(String(v))) : [];
}

/** Written by this class, but a shared store can hold anything: check the fields we rely on. */
function parseBinding(json: string): Binding {
  const value = JSON.parse(json) as Partial<Binding> | null;
  if (
    value === null ||
    typeof value.key !== 'string' ||
    typeof value.contact !== 'string' ||
    typeof value.expiresAt !== 'number' ||
    typeof value.source?.address !== 'string'
  ) {
    throw new TypeError(`not a registration binding: ${json.slice(0, 80)}`);
  }
  return value as Binding;
}
