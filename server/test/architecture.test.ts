// The layers of server/src, checked on the source itself: pure domain at the bottom, services that
// know neither socket.io nor express, adapters on top, and no import cycle anywhere.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(src);
const rel = (path: string) => relative(src, path);

/** Every module a file imports (type-only imports included): package names, or files of server/src. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map(([, spec = '']) =>
    spec.startsWith('.') ? rel(resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : spec,
  );
}

const graph = new Map(files.map((f) => [rel(f), importsOf(f)]));
const layerOf = (file: string) => file.split('/')[0] ?? '';

describe('server/src', () => {
  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const dep of graph.get(file) ?? []) if (graph.has(dep)) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the domain pure: it imports only itself and the protocol', () => {
    const outside = [...graph]
      .filter(([file]) => layerOf(file) === 'domain')
      .flatMap(([file, deps]) =>
        deps
          .filter((d) => !(graph.has(d) ? layerOf(d) === 'domain' : d === '@summit-bridge/protocol'))
          .map((d) => `${file} imports ${d}`),
      );
    expect(outside).toEqual([]);
  });

  it('keeps services and stores free of the adapters: no socket.io, no express', () => {
    const services = [
      'audit',
      'auth',
      'invitations',
      'media',
      'sessions',
      'store',
      'telemetry',
      'demo',
      'proceedings',
    ];
    const adapters = ['socket', 'http'];
    const leaks = [...graph]
      .filter(([file]) => services.includes(layerOf(file)))
      .flatMap(([file, deps]) =>
        deps
          .filter(
            (d) => d === 'socket.io' || d === 'express' || adapters.includes(graph.has(d) ? layerOf(d) : ''),
          )
          .map((d) => `${file} imports ${d}`),
      );
    expect(leaks).toEqual([]);
  });

  it('keeps every HTTP file short: one router per resource', () => {
    const long = files
      .filter((f) => rel(f).startsWith('http/'))
      .map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 150);
    expect(long).toEqual([]);
  });

  it('found the files it checks', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(graph.get('server.ts')).toContain('socket/signaling.ts');
  });
});
