import type { IceServer } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { readRelaySwitch } from '../src/features/join/joinLink.js';
import { refreshDelayMs, relayServers } from '../src/features/media/iceServers.js';

const server: IceServer = {
  urls: [
    'turn:203.0.113.5:3478?transport=udp',
    'turn:203.0.113.5:3478?transport=tcp',
    'turns:turn.example.org:443?transport=tcp',
  ],
  username: '1700000600:p-1',
  credential: 'c2VjcmV0',
};

describe('the relay switch', () => {
  it('reads relay=any|udp|tcp|tls beside the token, and nothing else', () => {
    expect(readRelaySwitch('#token=a.b.c&relay=tls')).toBe('tls');
    expect(readRelaySwitch('#relay=any&token=x')).toBe('any');
    expect(readRelaySwitch('#token=a.b.c')).toBeNull();
    expect(readRelaySwitch('#token=a.b.c&relay=yes')).toBeNull();
  });
});

describe('the relay servers a transport uses', () => {
  it('keeps every URL without a choice', () => {
    expect(relayServers([server], null)).toEqual([server]);
    expect(relayServers([server], 'any')).toEqual([server]);
  });

  it('keeps the URLs of the chosen transport to the relay', () => {
    expect(relayServers([server], 'udp')[0]?.urls).toEqual(['turn:203.0.113.5:3478?transport=udp']);
    expect(relayServers([server], 'tcp')[0]?.urls).toEqual(['turn:203.0.113.5:3478?transport=tcp']);
    expect(relayServers([server], 'tls')[0]?.urls).toEqual(['turns:turn.example.org:443?transport=tcp']);
    expect(relayServers([server], 'tls')[0]?.credential).toBe(server.credential);
  });

  it('drops a server left without a URL', () => {
    expect(relayServers([{ ...server, urls: ['turn:203.0.113.5:3478'] }], 'tls')).toEqual([]);
  });
});

describe('credential refresh', () => {
  it('asks again at half the lifetime, never more often than every 5 s', () => {
    expect(refreshDelayMs(3600)).toBe(1_800_000);
    expect(refreshDelayMs(4)).toBe(5000);
  });
});
