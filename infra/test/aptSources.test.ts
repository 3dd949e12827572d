import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseMirror,
  codenameFromOsRelease,
  OWN_SOURCE_FILE,
  parseDeb822,
  parseOneLine,
  parseSources,
  planBackportsSource,
  planSourceIndex,
} from '../apt/sources.mjs';

const fixtures = join(import.meta.dirname, 'fixtures', 'apt');

/** A fixture's apt files as the setup reads them: apt-root-relative path → contents. */
function aptFiles(name: string): Record<string, string> {
  const root = join(fixtures, name);
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(join(root, 'etc', 'apt'));
  return files;
}

describe('apt sources', () => {
  it('never takes a mirror from a comment above the real URIs field (the target machines’ layout)', () => {
    const files = aptFiles('deb822-snapshot-comment');
    const plan = planBackportsSource(files);
    expect(plan.mirror).toEqual({
      uri: 'http://deb.debian.org/debian',
      signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      from: '/etc/apt/sources.list.d/debian.sources:1',
    });
    expect(plan.write?.path).toBe(OWN_SOURCE_FILE);
    expect(plan.write?.content).toContain('URIs: http://deb.debian.org/debian\n');
    expect(plan.write?.content).toContain('Suites: bookworm-backports\n');
    expect(plan.write?.content).not.toContain('snapshot');
    // The second stanza is the security archive: read, but it serves bookworm-security only.
    expect(parseSources(files).map((s) => s.suites)).toEqual([
      ['bookworm', 'bookworm-updates'],
      ['bookworm-security'],
    ]);
  });

  it('ignores files apt itself ignores (*.disabled-by-farm)', () => {
    const sources = parseSources(aptFiles('deb822-snapshot-comment'));
    expect(sources.every((s) => s.file.endsWith('debian.sources'))).toBe(true);
  });

  it('reads the one-line format: options, trailing comments, deb-src and -security lines', () => {
    const plan = planBackportsSource(aptFiles('one-line'));
    expect(plan.mirror?.uri).toBe('http://mirror.ministry.example/debian');
    expect(plan.mirror?.signedBy).toBe('/usr/share/keyrings/debian-archive-keyring.gpg');
    expect(plan.mirror?.from).toBe('/etc/apt/sources.list:3');
    const lines = parseOneLine(aptFiles('one-line')['etc/apt/sources.list'] ?? '', 'etc/apt/sources.list');
    expect(lines.map((l) => `${l.types[0]} ${l.suites[0]}`)).toEqual([
      'deb bookworm-security',
      'deb bookworm',
      'deb-src bookworm',
      'deb bookworm-updates',
    ]);
    expect(lines[1]?.components).toEqual(['main', 'contrib', 'non-free-firmware']);
  });

  it('repairs a file it wrote earlier with a wrong mirror instead of trusting it', () => {
    const files = aptFiles('stale-own-file');
    const plan = planBackportsSource(files);
    expect(plan.mirror?.uri).toBe('http://deb.debian.org/debian');
    expect(plan.write?.path).toBe(OWN_SOURCE_FILE);
    expect(plan.notes.join()).toContain('out of date');
    // Once repaired, the same plan writes nothing.
    const repaired = { ...files, [OWN_SOURCE_FILE]: plan.write?.content ?? '' };
    expect(planBackportsSource(repaired).write).toBeNull();
  });

  it('uses a backports source of the operator’s own and removes a stale file of its own', () => {
    const plan = planBackportsSource(aptFiles('backports-present'));
    expect(plan.write).toBeNull();
    expect(plan.remove).toBe(true);
    expect(plan.notes.join()).toContain('/etc/apt/sources.list.d/backports.list:2');
  });

  it('prefers Debian’s mirror over a third-party repository that also publishes “bookworm”', () => {
    const plan = planBackportsSource(aptFiles('third-party-first'));
    expect(plan.mirror?.uri).toBe('https://mirror.ministry.example/debian');
    expect(plan.mirror?.from).toBe('/etc/apt/sources.list.d/debian.sources:2');
  });

  it('falls back to deb.debian.org, and says so, when nothing serves the release', () => {
    const plan = planBackportsSource(aptFiles('no-debian'), { keyringExists: false });
    expect(plan.mirror?.uri).toBe('http://deb.debian.org/debian');
    expect(plan.notes.join()).toContain('falling back');
    expect(plan.write?.content).not.toContain('Signed-By');
  });

  it('reads deb822 fully: disabled stanzas, folded fields, several URIs, an inline key', () => {
    const files = aptFiles('deb822-folded');
    const [disabled, live] = parseDeb822(files['etc/apt/sources.list.d/debian.sources'] ?? '', 'x.sources');
    expect(disabled?.enabled).toBe(false);
    expect(live?.types).toEqual(['deb', 'deb-src']);
    expect(live?.uris).toEqual(['http://mirror-a.example/debian/', 'http://mirror-b.example/debian']);
    expect(live?.suites).toEqual(['bookworm', 'bookworm-updates']);
    const plan = planBackportsSource(files);
    expect(plan.mirror?.uri).toBe('http://mirror-a.example/debian');
    // The inline key is carried over folded, as deb822 wants it.
    expect(plan.write?.content).toContain('Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n');
    const reparsed = parseDeb822(plan.write?.content ?? '', OWN_SOURCE_FILE);
    expect(reparsed[0]?.signedBy).toContain('END PGP PUBLIC KEY BLOCK');
    expect(reparsed[0]?.suites).toEqual(['bookworm-backports']);
  });

  it('chooses by suite, not by name: bookworm-updates alone is not bookworm', () => {
    const sources = parseOneLine(
      'deb http://a.example/debian bookworm-updates main\n',
      'etc/apt/sources.list',
    );
    expect(chooseMirror(sources, 'bookworm')).toBeNull();
  });

  it('reads the release codename from os-release', () => {
    expect(codenameFromOsRelease('ID=debian\nVERSION_CODENAME=bookworm\n')).toBe('bookworm');
    expect(codenameFromOsRelease('VERSION_CODENAME="trixie"')).toBe('trixie');
    expect(codenameFromOsRelease('')).toBeNull();
  });
});

describe('deb-src for the libsrtp2 source package', () => {
  it('takes the mirror the binary packages come from, never a commented one', () => {
    const plan = planSourceIndex(aptFiles('deb822-snapshot-comment'));
    expect(plan.mirror.from).toBe('/etc/apt/sources.list.d/debian.sources:1');
    expect(plan.content).toContain('Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n');
    expect(plan.content).toContain('Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n');
    expect(plan.content).not.toContain('snapshot');
    // Read back as apt would: one deb-src stanza for the release, main only.
    const [stanza, ...rest] = parseDeb822(plan.content, plan.file);
    expect(rest).toEqual([]);
    expect(stanza).toMatchObject({ types: ['deb-src'], suites: ['bookworm'], components: ['main'] });
  });

  it('uses an enabled deb-src source of the operator’s own, on whatever mirror it names', () => {
    const plan = planSourceIndex(aptFiles('deb-src-elsewhere'));
    expect(plan.mirror).toEqual({
      uri: 'http://sources.ministry.example/debian',
      signedBy: null,
      from: '/etc/apt/sources.list:4',
    });
    expect(plan.content).toContain('URIs: http://sources.ministry.example/debian\n');
  });

  it('follows the binary mirror’s keyring, inline keys folded, and the release’s codename', () => {
    const folded = planSourceIndex(aptFiles('deb822-folded'), { codename: 'bookworm' });
    expect(folded.mirror.uri).toBe('http://mirror-a.example/debian');
    expect(folded.content).toContain('Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n');
    const trixie = planSourceIndex(aptFiles('deb822-snapshot-comment'), { codename: 'trixie' });
    // Nothing serves trixie: deb.debian.org, said in a note, with Debian's keyring when present.
    expect(trixie.content).toContain('Suites: trixie\n');
    expect(trixie.mirror.uri).toBe('http://deb.debian.org/debian');
    expect(trixie.notes.join()).toContain('falling back');
  });

  it('prefers Debian’s mirror over a third-party repository, and signs only with a keyring that exists', () => {
    expect(planSourceIndex(aptFiles('third-party-first')).mirror.uri).toBe(
      'https://mirror.ministry.example/debian',
    );
    const bare = planSourceIndex(aptFiles('no-debian'), { keyringExists: false });
    expect(bare.content).not.toContain('Signed-By');
  });
});

describe('node infra/setup.mjs apt-plan', () => {
  const setup = join(import.meta.dirname, '..', 'setup.mjs');
  const aptPlan = (aptRoot: string) =>
    spawnSync(process.execPath, [setup, 'apt-plan'], {
      encoding: 'utf8',
      env: { ...process.env, SUMMIT_APT_ROOT: aptRoot },
    });

  it('prints what it would write for a fixture root, and writes nothing', () => {
    const root = join(fixtures, 'stale-own-file');
    const before = readFileSync(join(root, OWN_SOURCE_FILE), 'utf8');
    const res = aptPlan(root);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(
      'mirror: http://deb.debian.org/debian (from /etc/apt/sources.list.d/debian.sources:1)',
    );
    expect(res.stdout).toContain(`write: ${join(root, OWN_SOURCE_FILE)}`);
    expect(res.stdout).toMatch(/install from bookworm-backports: /);
    expect(res.stdout).toContain('source packages: http://deb.debian.org/debian bookworm');
    expect(res.stdout).toMatch(/^source package: libsrtp2 \S+$/m);
    expect(readFileSync(join(root, OWN_SOURCE_FILE), 'utf8')).toBe(before);
  });

  it('on this machine, never chooses a URL that appears only in a comment', () => {
    const res = aptPlan('/');
    expect(res.status).toBe(0);
    const chosen = /^mirror: (\S+)/m.exec(res.stdout)?.[1];
    if (chosen === undefined) {
      // Backports already served by a source of the machine's own: the plan says which.
      expect(res.stdout).toContain('mirror: (already served)');
      return;
    }
    const sources = parseSources(
      Object.fromEntries(
        [
          'etc/apt/sources.list',
          ...readdirSync('/etc/apt/sources.list.d').map((n) => `etc/apt/sources.list.d/${n}`),
        ]
          .filter((p) => {
            try {
              return statSync(join('/', p)).isFile();
            } catch {
              return false;
            }
          })
          .map((p) => [p, readFileSync(join('/', p), 'utf8')]),
      ),
    );
    const liveUris = sources.flatMap((s) => s.uris.map((u) => u.replace(/\/+$/, '')));
    expect(liveUris).toContain(chosen);
  });
});
