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
