import { LogRedactor, REDACTED } from './log-redaction';
import { RedactingConsoleLogger } from './redacting-console-logger';

describe('LogRedactor', () => {
  const redactor = new LogRedactor(['configured-bootstrap-secret', 'short']);

  it.each([
    ['an Authorization header', 'request headers {"Authorization":"Bearer abc.def"} sent', /authorization|abc\.def/i],
    ['a header in text form', 'authorization: Basic dXNlcjpwYXNz', /authorization|dXNlcjpwYXNz/i],
    ['a bearer token', 'retrying with Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', /eyJhbGciOiJIUzI1NiJ9/],
    ['a Personio access token', 'token papi-4f1c2d3e9a8b7c6d5e4f issued', /4f1c2d3e9a8b7c6d5e4f/],
    ['an awork API token', 'resolved awk_Zm9vYmFyYmF6cXV4 for user', /Zm9vYmFyYmF6cXV4/],
    [
      'a client secret in a form body',
      'grant_type=client_credentials&client_id=x&client_secret=s3cr3t-value',
      /s3cr3t-value/,
    ],
    ['a configured secret', 'bootstrap configured-bootstrap-secret rejected', /configured-bootstrap-secret/],
  ])('removes %s', (_name, text, leaked) => {
    const redacted = redactor.text(text);
    expect(redacted).not.toMatch(leaked);
    expect(redacted).toContain('REDACTED');
  });

  it('leaves ordinary sync lines alone, and ignores secrets too short to be told from words', () => {
    const line = 'workspace=9d49e884 run=272ea433 sync succeeded fetched=96 created=78 short';
    expect(redactor.text(line)).toBe(line);
  });

  it('masks sensitive keys and strings deep in objects and errors without changing the originals', () => {
    const error = new Error('Personio said no to Bearer papi-abcdef0123456789');
    const params = {
      headers: { authorization: 'Bearer x' },
      nested: [{ clientSecret: 'value', note: 'awk_abcdefghijkl' }],
      ok: 1,
    };
    const redactedParams = redactor.value(params) as typeof params;
    expect(redactedParams).toEqual({
      headers: { authorization: REDACTED },
      nested: [{ clientSecret: REDACTED, note: `awk_${REDACTED}` }],
      ok: 1,
    });
    expect(params.headers.authorization).toBe('Bearer x');
    const redactedError = redactor.value(error) as Error;
    expect(redactedError).toBeInstanceOf(Error);
    expect(redactedError.message).not.toContain('papi-abcdef');
    expect(redactedError.stack).not.toContain('papi-abcdef');
    expect(error.message).toContain('papi-abcdef');
  });
});

describe('RedactingConsoleLogger', () => {
  let written: string[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    const capture = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
    write = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => jest.restoreAllMocks());

  it('writes one JSON line per message with the message, params and error stack redacted', () => {
    const logger = new RedactingConsoleLogger(new LogRedactor(['top-secret-key-material']), { json: true });
    logger.log('workspace=w1 run=r1 used Bearer awk_abcdefghijkl', { token: 'papi-abcdefghijkl' }, 'Ctx');
    logger.error(new Error('failed with top-secret-key-material'), 'Ctx');
    write.mockRestore();
    const text = written.join('');
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).toContain('workspace=w1 run=r1');
    expect(text).not.toMatch(/awk_abcdefghijkl|papi-abcdefghijkl|top-secret-key-material/);
  });

  it('redacts the readable development format too', () => {
    const logger = new RedactingConsoleLogger(new LogRedactor([]), { json: false, colors: false });
    logger.warn('Authorization: Bearer awk_abcdefghijkl', 'Ctx');
    expect(written.join('')).not.toMatch(/awk_abcdefghijkl|Authorization/);
  });
});
