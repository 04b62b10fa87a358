import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const INTEGRATIONS = __dirname;
const SRC = resolve(__dirname, '..');
/** What the host offers integrations: authentication and the AworkHostPort's provider. */
const HOST_ENTRIES = ['host/auth', 'host/awork-host.module'];
/** What integrations offer the host: the port and the language it speaks, nothing of Personio. */
const PORT_ENTRIES = ['integrations/awork-host.port', 'integrations/awork-host.types'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Imports from the files under `from` into the folder `into`, other than `allowed`, as "file → target". */
function importsAcross(from: string, into: string, allowed: string[]): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(from)) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(SRC, resolve(file, '..', specifier))
        .split('\\')
        .join('/');
      if (target.startsWith(`${into}/`) && !allowed.includes(target)) found.push(`${relative(SRC, file)} → ${target}`);
    }
  }
  return found;
}

describe('integrations ↔ host boundary', () => {
  it('integrations reach the host only through its public entries, never into host internals', () => {
    expect(importsAcross(INTEGRATIONS, 'host', HOST_ENTRIES)).toEqual([]);
  });

  it('the host reaches integrations only through the port and its types, never into Personio', () => {
    expect(importsAcross(resolve(SRC, 'host'), 'integrations', PORT_ENTRIES)).toEqual([]);
  });
});
