import { Message, classes, methods, parseMessage } from 'werift';
import { IceLiteAgent } from './ice-lite-agent';

/** A browser's connectivity check (built by werift's own STUN code). */
function check(
  agent: IceLiteAgent,
  options: { nominate?: boolean; password?: string; remote?: string } = {},
): Buffer {
  const message = new Message(methods.BINDING, classes.REQUEST);
  message.setAttribute('USERNAME', `${agent.ufrag}:${options.remote ?? 'brws'}`);
  message.setAttribute('PRIORITY', 1853817087);
  message.setAttribute('ICE-CONTROLLING', BigInt(7));
  if (options.nominate === true) message.setAttribute('USE-CANDIDATE', null);
  message.addMessageIntegrity(Buffer.from(options.password ?? agent.pwd));
  message.addFingerprint();
  return message.bytes;
}

describe(IceLiteAgent.name, () => {
  it('answers a check with its credentials and selects the first source, then the nominated one', () => {
    const agent = new IceLiteAgent();
    agent.setRemoteUfrag('brws');
    const first = agent.onStun(check(agent), '192.0.2.7', 5000);
    expect(first.selected).toBe(true);
    const response = parseMessage(first.response!, Buffer.from(agent.pwd));
    expect(response?.messageClass).toBe(classes.RESPONSE);
    expect(agent.onStun(check(agent), '198.51.100.9', 6000).selected).toBe(false);
    expect(agent.isValidated('198.51.100.9', 6000)).toBe(true);
    expect(agent.onStun(check(agent, { nominate: true }), '198.51.100.9', 6000).selected).toBe(
      true,
    );
    expect([agent.selectedAddress, agent.selectedPort]).toEqual(['198.51.100.9', 6000]);
  });

  it.each([
    ['a wrong password', { password: 'not-the-password-at-all' }],
    ['another browser ufrag', { remote: 'othr' }],
  ])('refuses a check with %s and does not hear its source', (_name, options) => {
    const agent = new IceLiteAgent();
    agent.setRemoteUfrag('brws');
    expect(agent.onStun(check(agent, options), '192.0.2.7', 5000).response).toBeNull();
    expect(agent.isValidated('192.0.2.7', 5000)).toBe(false);
    expect(agent.selectedAddress).toBeNull();
  });

  it('changes its own credentials on an ICE restart', () => {
    const agent = new IceLiteAgent();
    agent.setRemoteUfrag('brws');
    const before = agent.ufrag;
    agent.setRemoteUfrag('brws');
    expect(agent.ufrag).toBe(before);
    agent.setRemoteUfrag('new1');
    expect(agent.ufrag).not.toBe(before);
  });
});
