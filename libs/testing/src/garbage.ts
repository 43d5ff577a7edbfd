import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * Whether the object behind `ref` is garbage: runs the collector (exposed on first use) between
 * turns of the event loop until it is gone, ten rounds at most. For tests that something no
 * longer keeps an object alive: hold nothing else of it, and no jest.fn it was `this` of.
 */
export async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}
