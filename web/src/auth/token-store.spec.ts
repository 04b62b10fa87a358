import { TokenStore, tokenFromFragment } from './token-store';

function environment(hash: string, stored: string | null = null) {
  const values = new Map<string, string>(stored ? [['awork.apiToken', stored]] : []);
  const replaced: string[] = [];
  const location = { hash, pathname: '/', search: '' };
  return {
    replaced,
    values,
    env: {
      storage: {
        getItem: (key: string) => values.get(key) ?? null,
        setItem: (key: string, value: string) => void values.set(key, value),
        removeItem: (key: string) => void values.delete(key),
      },
      location,
      history: {
        replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => replaced.push(String(url)),
      },
    },
  };
}

describe('the page sign-in token', () => {
  it('reads the token from a #token= fragment', () => {
    expect(tokenFromFragment('#token=awk_abc')).toBe('awk_abc');
    expect(tokenFromFragment('#other=1')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
  });

  it('stores a fragment token and removes the fragment from the address', () => {
    const { env, replaced, values } = environment('#token=awk_abc');
    expect(new TokenStore(env).initial()).toBe('awk_abc');
    expect(values.get('awork.apiToken')).toBe('awk_abc');
    expect(replaced).toEqual(['/']);
  });

  it('falls back to the stored token and leaves a clean address alone', () => {
    const { env, replaced } = environment('', 'awk_stored');
    expect(new TokenStore(env).initial()).toBe('awk_stored');
    expect(replaced).toEqual([]);
  });
});
