const STORAGE_KEY = 'awork.apiToken';

/** The token in a `#token=…` fragment (the demo's link), or null. */
export function tokenFromFragment(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const token = new URLSearchParams(fragment).get('token')?.trim();
  return token ? token : null;
}

export interface TokenStoreEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
}

/**
 * Kept in sessionStorage: it survives a reload but not the tab. A token arriving in the fragment is
 * stored and the fragment removed from the address bar and history at once, so it is not bookmarked
 * or shared by copying the address.
 */
export class TokenStore {
  constructor(private readonly env: TokenStoreEnvironment) {}

  /** Reads (and removes) a fragment token, else the stored one. */
  initial(): string | null {
    const fromFragment = tokenFromFragment(this.env.location.hash);
    if (this.env.location.hash !== '')
      this.env.history.replaceState(null, '', `${this.env.location.pathname}${this.env.location.search}`);
    if (fromFragment) this.save(fromFragment);
    return fromFragment ?? this.env.storage.getItem(STORAGE_KEY);
  }

  save(token: string): void {
    this.env.storage.setItem(STORAGE_KEY, token);
  }

  clear(): void {
    this.env.storage.removeItem(STORAGE_KEY);
  }
}
