import { callAnnouncement } from './call-announcement';
import type { Call } from './phone-state';

const idle: Call = { kind: 'idle' };
const active = (over: Partial<Extract<Call, { kind: 'active' }>> = {}): Call => ({
  kind: 'active',
  id: 'c1',
  remote: '203',
  since: 0,
  held: false,
  holdPending: false,
  muted: false,
  ...over,
});

describe(callAnnouncement.name, () => {
  it('announces each step of an outgoing call once', () => {
    const calling: Call = { kind: 'outgoing', id: 'c1', remote: '203', ringing: false };
    const ringing: Call = { ...calling, ringing: true };
    expect(callAnnouncement(idle, calling)).toBe('Calling 203');
    expect(callAnnouncement(calling, ringing)).toBe('203 is ringing');
    expect(callAnnouncement(ringing, ringing)).toBeUndefined();
    expect(callAnnouncement(ringing, active())).toBe('Connected to 203');
  });

  it('announces an incoming call and its answer', () => {
    const incoming: Call = { kind: 'incoming', id: 'c2', remote: 'Bob de Vries (202)' };
    expect(callAnnouncement(idle, incoming)).toBe('Incoming call from Bob de Vries (202)');
    const answering: Call = { kind: 'answering', id: 'c2', remote: 'Bob de Vries (202)' };
    expect(callAnnouncement(incoming, answering)).toBe('Answering Bob de Vries (202)');
  });

  it('announces hold, resume, mute and unmute, and nothing for a pending hold', () => {
    expect(callAnnouncement(active(), active({ holdPending: true }))).toBeUndefined();
    expect(callAnnouncement(active(), active({ held: true }))).toBe('Call on hold');
    expect(callAnnouncement(active({ held: true }), active())).toBe('Call resumed');
    expect(callAnnouncement(active(), active({ muted: true }))).toBe('Microphone muted');
    expect(callAnnouncement(active({ muted: true }), active())).toBe('Microphone on');
  });

  it('leaves the end of a call to the notice', () => {
    expect(callAnnouncement(active(), idle)).toBeUndefined();
    expect(callAnnouncement(active(), { kind: 'ending', id: 'c1', remote: '203' })).toBeUndefined();
  });
});
