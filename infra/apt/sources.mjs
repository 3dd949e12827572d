// Reading apt's sources and deciding which Debian mirror serves the release, as pure functions
// of file contents: the setup reads the files, these decide, the setup writes. Both formats:
//   one-line   deb [options] URI suite [component…]        (sources.list, sources.list.d/*.list)
//   deb822     stanzas of "Field: value", blank-line separated (sources.list.d/*.sources)
// Comments are never read as sources: a commented URL (a snapshot archive above the real
// `URIs:`, say) is documentation, not a mirror.

/** The file the setup owns; it is rewritten whenever it disagrees with the plan. */
export const OWN_SOURCE_FILE = 'etc/apt/sources.list.d/summit-bridge-backports.sources';
export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/**
 * @typedef {{ types: string[], uris: string[], suites: string[], components: string[],
 *   signedBy: string | null, enabled: boolean, file: string, line: number }} Source
 */

/**
 * Whether apt reads this apt-root-relative path as a source file.
 * @param {string} path
 */
export function isSourceFile(path) {
  return path === 'etc/apt/sources.list' || /^etc\/apt\/sources\.list\.d\/[^/]+\.(list|sources)$/.test(path);
}

/**
 * The files apt reads, in apt's order: sources.list, then sources.list.d sorted by name.
 * @param {string[]} paths
 * @returns {string[]}
 */
export function sourceFileOrder(paths) {
  return paths.filter(isSourceFile).sort((a, b) => {
    if (a === 'etc/apt/sources.list') return -1;
    if (b === 'etc/apt/sources.list') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * One-line format. Options in brackets may hold `signed-by=` and `enabled=`.
 * @param {string} text
 * @param {string} file
 * @returns {Source[]}
 */
export function parseOneLine(text, file) {
  /** @type {Source[]} */
  const sources = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const match = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)(.*)$/.exec(line);
    if (!match) return;
    const [, type = '', options = '', uri = '', suite = '', rest = ''] = match;
    /** @param {string} name */
    const option = (name) => {
      const found = options
        .trim()
        .split(/\s+/)
        .find((o) => o.startsWith(`${name}=`));
      return found ? found.slice(name.length + 1) : null;
    };
    sources.push({
      types: [type],
      uris: [uri],
      suites: [suite],
      components: rest.trim().split(/\s+/).filter(Boolean),
      signedBy: option('signed-by'),
      enabled: option('enabled') !== 'no',
      file,
      line: index + 1,
    });
  });
  return sources;
}

/**
 * deb822 format: stanzas, folded continuation lines, comment lines anywhere.
 * @param {string} text
 * @param {string} file
 * @returns {Source[]}
 */
export function parseDeb822(text, file) {
  /** @type {Source[]} */
  const sources = [];
  /** @type {Map<string, string>} */
  let fields = new Map();
  let stanzaLine = 0;
  let lastField = '';
  const flush = () => {
    if (fields.size > 0) {
      /** @param {string} name */
      const words = (name) => (fields.get(name) ?? '').split(/\s+/).filter(Boolean);
      sources.push({
        types: words('types'),
        uris: words('uris'),
        suites: words('suites'),
        components: words('components'),
        signedBy: fields.get('signed-by')?.trim() || null,
        enabled: (fields.get('enabled') ?? 'yes').trim().toLowerCase() !== 'no',
        file,
        line: stanzaLine,
      });
    }
    fields = new Map();
    lastField = '';
  };
  text.split('\n').forEach((raw, index) => {
    if (raw.startsWith('#')) return;
    if (raw.trim() === '') {
      flush();
      return;
    }
    if (/^\s/.test(raw)) {
      // A continuation line belongs to the field above it.
      if (lastField) fields.set(lastField, `${fields.get(lastField)}\n${raw.trim()}`);
      return;
    }
    const colon = raw.indexOf(':');
    if (colon <= 0) return;
    if (fields.size === 0) stanzaLine = index + 1;
    lastField = raw.slice(0, colon).trim().toLowerCase();
    fields.set(lastField, raw.slice(colon + 1).trim());
  });
  flush();
  return sources;
}

/**
 * @param {Record<string, string>} files apt-root-relative path → contents
 * @returns {Source[]}
 */
export function parseSources(files) {
  return sourceFileOrder(Object.keys(files)).flatMap((path) =>
    path.endsWith('.sources') ? parseDeb822(files[path] ?? '', path) : parseOneLine(files[path] ?? '', path),
  );
}

/** @param {string} uri */
const normalise = (uri) => uri.replace(/\/+$/, '');

/**
 * The Debian mirror for `codename`: the first enabled binary source serving that very suite
 * (not -security, not -updates) with component main. Third-party repositories also publish
 * suites named after the release; a source signed by Debian's keyring (or by none, so by apt's
 * default keys) is preferred over one with a keyring of its own.
 * @param {Source[]} sources
 * @param {string} codename
 * @param {'deb' | 'deb-src'} [type] binary packages, or source packages
 * @returns {{ uri: string, signedBy: string | null, from: string } | null}
 */
export function chooseMirror(sources, codename, type = 'deb') {
  const candidates = sources.filter(
    (s) =>
      s.enabled &&
      s.types.includes(type) &&
      s.suites.includes(codename) &&
      s.components.includes('main') &&
      s.uris.some((u) => /^https?:\/\//.test(u)),
  );
  /** @param {Source} s */
  const debianSigned = (s) => s.signedBy === null || s.signedBy.includes('debian-archive-keyring');
  const chosen = candidates.find(debianSigned) ?? candidates[0];
  if (!chosen) return null;
  const uri = chosen.uris.find((u) => /^https?:\/\//.test(u)) ?? '';
  return { uri: normalise(uri), signedBy: chosen.signedBy, from: `/${chosen.file}:${chosen.line}` };
}

/**
 * The release's mirror, or deb.debian.org (with a note saying so) when no source serves it.
 * @param {Source[]} sources
 * @param {string} codename
 * @param {string[]} notes
 */
function releaseMirror(sources, codename, notes) {
  const mirror = chooseMirror(sources, codename);
  if (mirror) return mirror;
  notes.push(`no enabled source serves ${codename} main; falling back to ${DEFAULT_MIRROR}`);
  return { uri: DEFAULT_MIRROR, signedBy: null, from: 'default' };
}

/**
 * A deb822 Signed-By line: a keyring path, or a key inline in the source (folded over several lines).
 * @param {string | null} signedBy
 * @returns {string[]}
 */
function signedByField(signedBy) {
  if (!signedBy) return [];
  return [`Signed-By:${signedBy.includes('\n') ? '\n ' : ' '}${signedBy.split('\n').join('\n ')}`];
}

/**
 * What to write so that `<codename>-backports` is available from the release's mirror.
 * Sources the setup did not write are trusted when they serve the suite; our own file is
 * compared with what it should say and rewritten when it differs (an earlier setup may have
 * written a wrong mirror into it).
 * @param {Record<string, string>} files apt-root-relative path → contents
 * @param {{ codename?: string, keyringExists?: boolean }} [options]
 */
export function planBackportsSource(files, { codename = 'bookworm', keyringExists = true } = {}) {
  const suite = `${codename}-backports`;
  const sources = parseSources(files);
  const notes = [];
  const others = sources.filter((s) => s.file !== OWN_SOURCE_FILE);
  const existing = others.find((s) => s.enabled && s.types.includes('deb') && s.suites.includes(suite));
  if (existing) {
    notes.push(`${suite} is already served by /${existing.file}:${existing.line}`);
    return { suite, mirror: null, write: null, remove: files[OWN_SOURCE_FILE] !== undefined, notes };
  }
  const mirror = releaseMirror(others, codename, notes);
  const signedBy = mirror.signedBy ?? (keyringExists ? DEBIAN_KEYRING : null);
  const content = [
    '# Written by Summit Bridge (infra/setup.mjs): meson >= 1.1 for the mediasoup worker build.',
    `# Mirror taken from ${mirror.from}; rewritten by the setup when that mirror changes.`,
    'Types: deb',
    `URIs: ${mirror.uri}`,
    `Suites: ${suite}`,
    'Components: main',
    ...signedByField(signedBy),
    '',
  ].join('\n');
  const current = files[OWN_SOURCE_FILE];
  if (current === content) return { suite, mirror, write: null, remove: false, notes };
  if (current !== undefined) notes.push(`/${OWN_SOURCE_FILE} is out of date: rewriting it`);
  return { suite, mirror, write: { path: OWN_SOURCE_FILE, content }, remove: false, notes };
}

/**
 * The release codename from os-release contents (VERSION_CODENAME), or null.
 * @param {string} text
 * @returns {string | null}
 */
export function codenameFromOsRelease(text) {
  const match = /^VERSION_CODENAME=["']?([a-z]+)["']?\s*$/m.exec(text ?? '');
  return match?.[1] ?? null;
}

/** The private apt configuration (under the setup's cache) that serves Debian source packages. */
export const SOURCE_INDEX_FILE = 'sources.list.d/summit-bridge-src.sources';

/**
 * Where `apt-get source` finds the release's source packages (libsrtp2 for the worker): a
 * `deb-src` stanza for `codename` main, on the mirror the setup reads binary packages from. It goes into a private apt configuration, not
 * /etc/apt: every later `apt-get update` on the machine would otherwise fetch the release's
 * Sources index (tens of MB) for one package the worker build needs once.
 * @param {Record<string, string>} files apt-root-relative path → contents of the system's sources
 * @param {{ codename?: string, keyringExists?: boolean }} [options]
 */
export function planSourceIndex(files, { codename = 'bookworm', keyringExists = true } = {}) {
  const sources = parseSources(files).filter((s) => s.file !== OWN_SOURCE_FILE);
  const notes = [];
  // An operator's own deb-src source for the release wins; else the binary packages' mirror.
  const mirror = chooseMirror(sources, codename, 'deb-src') ?? releaseMirror(sources, codename, notes);
  const signedBy = mirror.signedBy ?? (keyringExists ? DEBIAN_KEYRING : null);
  const content = [
    '# Written by Summit Bridge (infra/setup.mjs): Debian source packages for the worker build.',
    `# Mirror taken from ${mirror.from}.`,
    'Types: deb-src',
    `URIs: ${mirror.uri}`,
    `Suites: ${codename}`,
    'Components: main',
    ...signedByField(signedBy),
    '',
  ].join('\n');
  return { suite: codename, mirror, file: SOURCE_INDEX_FILE, content, notes };
}
