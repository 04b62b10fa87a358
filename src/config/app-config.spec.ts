import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig: how the Personio client identifies itself', () => {
  const base = { NODE_ENV: 'test', DEMO: 'false', CREDENTIALS_KEY: Buffer.alloc(32, 1).toString('base64') };

  it('sends X-Personio-App-ID awork-absence-sync by default and no partner id', () => {
    const config = loadConfig(base);

    expect(config.personio.appId).toBe('awork-absence-sync');
    expect(config.personio.partnerId).toBeUndefined();
  });

  it('takes PERSONIO_APP_ID and PERSONIO_PARTNER_ID, trimmed', () => {
    const config = loadConfig({ ...base, PERSONIO_APP_ID: ' acme-sync ', PERSONIO_PARTNER_ID: 'partner-42' });

    expect(config.personio).toMatchObject({ appId: 'acme-sync', partnerId: 'partner-42' });
  });

  it('refuses a value that cannot travel as an HTTP header', () => {
    expect(() => loadConfig({ ...base, PERSONIO_PARTNER_ID: 'pärtner' })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ ...base, PERSONIO_APP_ID: 'a\nb' })).toThrow(/PERSONIO_APP_ID must be printable ASCII/);
  });
});

describe('loadConfig: PUBLIC_BASE_URL', () => {
  const base = { NODE_ENV: 'test', CREDENTIALS_KEY: Buffer.alloc(32, 1).toString('base64') };

  it('leaves webhooks off when unset outside demo mode', () => {
    expect(loadConfig({ ...base, DEMO: 'false' }).publicBaseUrl).toBeUndefined();
  });

  it("defaults to the app's own loopback URL in demo mode", () => {
    expect(loadConfig({ ...base, DEMO: 'true', PORT: '4100' }).publicBaseUrl).toBe('http://127.0.0.1:4100');
  });

  it('drops a trailing slash and refuses what is not an http(s) URL', () => {
    expect(loadConfig({ ...base, DEMO: 'false', PUBLIC_BASE_URL: 'https://sync.example.com/' }).publicBaseUrl).toBe(
      'https://sync.example.com',
    );
    expect(() => loadConfig({ ...base, PUBLIC_BASE_URL: 'ftp://x' })).toThrow(/PUBLIC_BASE_URL must be/);
  });
});
