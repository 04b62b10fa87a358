import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWebApp, JS_BUDGET_GZIP_BYTES } from './build';

describe('the web page build', () => {
  let outdir: string;
  beforeEach(() => (outdir = mkdtempSync(join(tmpdir(), 'awork-web-build-'))));
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles the page into one script, one style sheet and index.html, within the 150 KB gzip budget', async () => {
    const result = await buildWebApp(outdir);
    expect(JS_BUDGET_GZIP_BYTES).toBe(150 * 1024);
    expect(result.jsGzipBytes).toBeLessThanOrEqual(JS_BUDGET_GZIP_BYTES);
    expect(readdirSync(outdir).filter((file) => !file.endsWith('.map'))).toEqual(['app.css', 'app.js', 'index.html']);
  });

  it('fails when the JavaScript is over the budget', async () => {
    await expect(buildWebApp(outdir, 1024)).rejects.toThrow(/gzipped, over the budget of 1024 bytes/);
  });
});
