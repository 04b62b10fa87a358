export const REDACTED = '[REDACTED]';

const MIN_SECRET_LENGTH = 8;
const SENSITIVE_KEY = /authorization|secret|password|passwd|token|api[-_]?key|cookie/i;
const MAX_DEPTH = 8;

// Order matters: a whole `Authorization: …` header goes first, so its name and value leave together.
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /["']?\bauthorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?[^\s"',;}]*["']?/gi,
    '[REDACTED-AUTH-HEADER]',
  ],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
  [/\bpapi-[A-Za-z0-9_-]{6,}/g, `papi-${REDACTED}`],
  [/\bawk_[A-Za-z0-9_-]{6,}/g, `awk_${REDACTED}`],
  [
    /\b(client_secret|clientSecret|access_token|accessToken|refresh_token)(["']?\s*[:=]\s*["']?)[^\s&"',;}]+/g,
    `$1$2${REDACTED}`,
  ],
];

/**
 * Removes authorization headers, bearer/Personio/awork tokens and the configured secrets from
 * whatever is about to be logged. Pure; strings are rewritten, other values are copied only where
 * something had to be masked.
 */
export class LogRedactor {
  private readonly secrets: string[];

  constructor(secrets: ReadonlyArray<string | undefined | null> = []) {
    this.secrets = [
      ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)),
    ]
      // Longest first, so a secret containing another is removed whole.
      .sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let result = value;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
    return result;
  }

  value(value: unknown): unknown {
    return this.visit(value, 0, new WeakMap());
  }

  private visit(value: unknown, depth: number, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
    if (seen.has(value)) return seen.get(value);
    if (value instanceof Error) return this.error(value, depth, seen);
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.visit(item, depth + 1, seen));
      return copy;
    }
    if (!isPlainObject(value)) return value;
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) {
      copy[key] =
        SENSITIVE_KEY.test(key) && item !== null && item !== undefined && typeof item !== 'boolean'
          ? REDACTED
          : this.visit(item, depth + 1, seen);
    }
    return copy;
  }

  private error(error: Error, depth: number, seen: WeakMap<object, unknown>): Error {
    const copy = Object.create(Object.getPrototypeOf(error)) as Error;
    seen.set(error, copy);
    for (const key of Object.getOwnPropertyNames(error)) {
      const item = (error as unknown as Record<string, unknown>)[key];
      const redacted =
        SENSITIVE_KEY.test(key) && typeof item === 'string' ? REDACTED : this.visit(item, depth + 1, seen);
      Object.defineProperty(copy, key, {
        value: redacted,
        writable: true,
        configurable: true,
        enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
      });
    }
    return copy;
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
