import { DeviceDirectorySync } from './device-directory-sync';
import { InMemoryDeviceDirectory } from './in-memory-device-directory';
import { aDevice, DOMAIN } from '../registrar/registrar.spec-helper';

describe(DeviceDirectorySync.name, () => {
  it('drops the registrations of touched devices that are gone, and only those', async () => {
    const directory = new InMemoryDeviceDirectory();
    directory.put(aDevice('1001'));
    const dropped: string[] = [];
    const errors: string[] = [];
    const sync = new DeviceDirectorySync(
      directory,
      { dropDevice: async (username, domain) => (dropped.push(`${username}@${domain}`), 1) },
      { error: (m) => errors.push(m) },
    );
    await sync.handle({
      keys: [
        { domain: DOMAIN, username: '1001' },
        { domain: DOMAIN, username: 'gone' },
        { domain: DOMAIN, username: 'gone' },
      ],
      domains: [DOMAIN],
    });
    expect(dropped).toEqual([`gone@${DOMAIN}`]);
    expect(errors).toEqual([]);
  });

  it('logs a failure to drop and goes on with the next device', async () => {
    const errors: string[] = [];
    const sync = new DeviceDirectorySync(
      new InMemoryDeviceDirectory(),
      {
        dropDevice: async (username) => {
          if (username === 'a') throw new Error('redis down');
          return 0;
        },
      },
      { error: (m) => errors.push(m) },
    );
    await sync.handle({
      keys: [
        { domain: 'x', username: 'a' },
        { domain: 'x', username: 'b' },
      ],
      domains: [],
    });
    expect(errors).toEqual(['could not drop the registrations of a@x: Error: redis down']);
  });
});
