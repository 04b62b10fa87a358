import { CachedToken, credentialCacheKey, PersonioTokenCache, tokenExpiry } from './personio-token-cache';

describe('PersonioTokenCache', () => {
  let now = 0;
  const cache = () => new PersonioTokenCache(() => now);
  const token = (accessToken: string, expiresAtMs = 1_000_000): CachedToken => ({ accessToken, expiresAtMs });

  beforeEach(() => {
    now = 0;
  });

  it('shares one in-flight request between concurrent callers', async () => {
    const tokens = cache();
    const fetchToken = jest.fn(async () => token('papi-1'));

    const results = await Promise.all([
      tokens.get('k', fetchToken),
      tokens.get('k', fetchToken),
      tokens.get('k', fetchToken),
    ]);

    expect(results.map((t) => t.accessToken)).toEqual(['papi-1', 'papi-1', 'papi-1']);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('keeps a token until the moment it expires, then fetches again', async () => {
    const tokens = cache();
    await tokens.get('k', async () => token('papi-1', 100));
    now = 99;
    expect((await tokens.get('k', async () => token('papi-2'))).accessToken).toBe('papi-1');

    now = 100;
    expect((await tokens.get('k', async () => token('papi-2'))).accessToken).toBe('papi-2');
  });

  it('does not cache a failed request', async () => {
    const tokens = cache();
    await expect(tokens.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');

    expect((await tokens.get('k', async () => token('papi-2'))).accessToken).toBe('papi-2');
  });

  it('invalidates only the token that was refused', async () => {
    const tokens = cache();
    await tokens.get('k', async () => token('papi-1'));
    tokens.invalidate('k', 'papi-old');

    expect((await tokens.get('k', async () => token('papi-2'))).accessToken).toBe('papi-1');
    tokens.invalidate('k', 'papi-1');
    expect((await tokens.get('k', async () => token('papi-2'))).accessToken).toBe('papi-2');
  });
});

describe('tokenExpiry', () => {
  it('uses the whole lifetime Personio reports, with no early renewal that would loop on a stable token', () => {
    expect(tokenExpiry(0, 86_400)).toBe(86_400_000);
    expect(tokenExpiry(5_000, 30)).toBe(35_000);
  });

  it.each([[undefined], [null], [0], [-5], ['86400'], [Number.NaN]])(
    'treats expires_in %p as a short (1 h) lifetime, never as 24 h',
    (expiresIn) => {
      expect(tokenExpiry(0, expiresIn)).toBe(3_600_000);
    },
  );
});

describe('credentialCacheKey', () => {
  it('differs per secret and never contains it', () => {
    const a = credentialCacheKey({ clientId: 'c', clientSecret: 'super-secret-1' });
    const b = credentialCacheKey({ clientId: 'c', clientSecret: 'super-secret-2' });

    expect(a).not.toBe(b);
    expect(a).not.toContain('super-secret');
    expect(a.startsWith('c:')).toBe(true);
  });
});
