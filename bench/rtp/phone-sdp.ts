/** The SDP a load-generator phone sends: PCMU and PCMA with telephone-event, 20 ms. */
export function phoneSdp(name: string, port: number): string {
  return [
    'v=0',
    `o=${name} 1 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** The port of the first m=audio line. */
export function audioPortOf(sdp: string): number {
  const match = /^m=audio (\d+) /m.exec(sdp);
  if (match === null) throw new Error(`no m=audio line in the relay's SDP:\n${sdp}`);
  return Number(match[1]);
}

/** Runs `task` over `items` with at most `width` in flight, keeping the order of results. */
export async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
