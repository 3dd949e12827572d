import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where e2e tests leave screenshots for people to look at (e2e/artifacts, not committed). */
export function artifactPath(name: string): string {
  const dir = fileURLToPath(new URL('../artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}${name}`;
}
