import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What a demo start leaves in DATA_DIR so the next start reuses it instead of seeding again. */
export interface DemoMarker {
  workspaceId: string;
  adminEmail: string;
  adminToken: string;
  createdAt: string;
  /** Set once the next-steps text was printed; it is printed on one start only. */
  nextStepsPrintedAt?: string;
}

export function demoMarkerPath(dataDir: string): string {
  return join(dataDir, 'demo.json');
}

export function readDemoMarker(path: string): DemoMarker | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoMarker>;
    return typeof parsed.workspaceId === 'string' && typeof parsed.adminToken === 'string'
      ? (parsed as DemoMarker)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Written atomically and readable by the owner only: it holds an admin token. */
export function writeDemoMarker(path: string, marker: DemoMarker): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
