/** A datagram that is not a valid RTP or RTCP packet; `reason` says which check failed. */
export class RtpPacketError extends Error {
  constructor(readonly reason: string) {
    super(`not a valid RTP/RTCP packet: ${reason}`);
    this.name = 'RtpPacketError';
  }
}
