import { tagOf, type ParsedMessage, type ServerRequest } from '@pbx/sip';

/** Which side of a bridged call a dialog belongs to. */
export type LegSide = 'caller' | 'callee';

/** The leg across the B2BUA from `side`. */
export function otherSide(side: LegSide): LegSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/** What a call does with requests arriving inside one of its dialogs. */
export interface DialogOwner {
  onInDialogRequest(side: LegSide, request: ServerRequest): void;
}

interface Entry {
  readonly owner: DialogOwner;
  readonly side: LegSide;
}

/** RFC 3261 12: a dialog is identified by Call-ID, local tag and remote tag. */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

/** The key of the dialog an incoming in-dialog request belongs to (our tag is in To). */
export function incomingDialogKey(parsed: ParsedMessage): string | undefined {
  const localTag = tagOf(parsed.to);
  const remoteTag = tagOf(parsed.from);
  if (localTag === undefined || remoteTag === undefined) return undefined;
  return dialogKey(parsed.callId, localTag, remoteTag);
}

/** Every confirmed or early dialog of the edge's calls, for routing in-dialog requests. */
export class DialogRegistry {
  readonly #entries = new Map<string, Entry>();

  add(key: string, owner: DialogOwner, side: LegSide): void {
    this.#entries.set(key, { owner, side });
  }

  remove(key: string): void {
    this.#entries.delete(key);
  }

  find(key: string): Entry | undefined {
    return this.#entries.get(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
