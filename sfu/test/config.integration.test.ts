// What an operator configures: the WebRtcServer ports (one per worker), the address announced to
// sites, and the DTLS certificate. The fixture certificate is for these tests only.
import { X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalMediaNode, type LocalMediaNode } from '../src/index.js';
import { peer } from './support.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const certificate = fixture('dtls-test-cert.pem');

async function portFree(port: number): Promise<boolean> {
  const udp = createSocket('udp4');
  const tcp = createServer();
  const bound = (target: { once(e: string, f: (...a: unknown[]) => void): unknown }) =>
    new Promise<boolean>((resolve) => {
      target.once('listening', () => resolve(true));
      target.once('error', () => resolve(false));
    });
  const udpOk = bound(udp);
  udp.bind(port, '127.0.0.1');
  const tcpOk = bound(tcp);
  tcp.listen(port, '127.0.0.1');
  const free = (await udpOk) && (await tcpOk);
  udp.close();
  tcp.close();
  return free;
}

/** A port p such that p and p + 1 are free for UDP and TCP. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 9000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error('no free port pair');
}

let node: LocalMediaNode | undefined;
afterAll(() => node?.close());

describe('media node configuration', () => {
  it('listens on one port per worker, announces the public address and uses the given certificate', async () => {
    const webRtcPort = await freePortPair();
    node = await createLocalMediaNode({
      workers: 2,
      webRtcPort,
      announcedAddress: '203.0.113.7',
      dtlsCertificateFile: certificate,
      dtlsPrivateKeyFile: fixture('dtls-test-key.pem'),
    });
    const ports = new Set<number>();
    for (const session of ['som', 'amm']) {
      await node.openSession(session);
      const transport = await node.createTransport(peer(session, 'p'), { direction: 'recv' });
      for (const candidate of transport.iceCandidates) {
        expect(candidate.address).toBe('203.0.113.7');
        ports.add(candidate.port);
      }
      const sha256 = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256');
      expect(sha256?.value.toUpperCase()).toBe(new X509Certificate(readFileSync(certificate)).fingerprint256);
    }
    expect([...ports].sort()).toEqual([webRtcPort, webRtcPort + 1]);
  });
});
