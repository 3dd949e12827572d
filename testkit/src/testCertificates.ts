// A certificate authority of the test's own, made with openssl at test start: what a ministry's
// TLS certificates look like, without the internet. Chromium trusts it through a profile of its
// own (e2e), the deploy check reads what it issues.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Issued {
  certFile: string;
  keyFile: string;
}

export interface TestCa {
  dir: string;
  /** The CA's certificate (PEM): what a client must trust. */
  caFile: string;
  /** A server certificate for these names (IP addresses and DNS names), valid `days` (negative: expired). */
  issue(name: string, altNames: string[], days?: number): Issued;
  remove(): void;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'summit-ca-'));
  const caFile = join(dir, 'ca.pem');
  // biome-ignore format: one openssl argument per pair reads best
  openssl(['req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', caFile, '-days', '2',
    '-subj', '/CN=Summit Bridge test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return {
    dir,
    caFile,
    issue(name, altNames, days = 2) {
      const keyFile = join(dir, `${name}.key`);
      const certFile = join(dir, `${name}.pem`);
      const san = altNames.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
      writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
      openssl(
        ['req', ...ecKey, '-keyout', keyFile, '-out', `${name}.csr`, '-subj', `/CN=${altNames[0]}`],
        dir,
      );
      // biome-ignore format: one openssl argument per pair reads best
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', caFile, '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', certFile, '-days', String(days), '-extfile', `${name}.ext`], dir);
      return { certFile, keyFile };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
