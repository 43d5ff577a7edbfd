import type { TrunkDirectory, TrunkRoute } from '@pbx/telephony';
import type { DirectoryCache } from './directory-cache';

/** The carrier trunks for the SIP edge, straight from routing's in-memory directory. */
export class CachedTrunkDirectory implements TrunkDirectory {
  constructor(private readonly cache: DirectoryCache) {}

  trunks(): readonly TrunkRoute[] {
    return this.cache.index.allTrunks();
  }

  onChange(listener: () => void): void {
    this.cache.onTrunksChange(listener);
  }
}
