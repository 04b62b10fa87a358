import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const INTEGRATIONS = __dirname;
const SRC = resolve(__dirname, '..');
/** What the host offers integrations: authentication and the AworkHostPort's provider. */
const HOST_ENTRIES = ['host/auth', 'host/awork-host.module'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('integrations → host boundary', () => {
  it('reaches the host only through its public entries, never into host internals', () => {
    const reachesInside: string[] = [];
    for (const file of sourceFiles(INTEGRATIONS)) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(SRC, resolve(file, '..', specifier))
          .split('\\')
          .join('/');
        if (target.startsWith('host/') && !HOST_ENTRIES.includes(target))
          reachesInside.push(`${relative(SRC, file)} → ${target}`);
      }
    }
    expect(reachesInside).toEqual([]);
  });
});
