import fc from 'fast-check';
import { SyncClaimsService } from '../../src/integrations/personio/sync/sync-claims.service';
import { PersonioSimulator } from '../../src/personio-simulator';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  PersonioCompany,
  simPerson,
  startAppWithSimulator,
} from '../support/personio-fixture';
import {
  bearer,
  createUser,
  createWorkspace,
  CreatedWorkspace,
  TestApp,
  TEST_BOOTSTRAP_TOKEN,
} from '../support/test-app';

/*
 * Property: whatever a client sends to any route that /api/docs-json documents, the answer is never a 5xx
 * (PRODUCT.md §4), except a 502/503 that the route itself documents (the routes that call Personio).
 * Errors keep Nest's shape {statusCode, message}.
 *
 * CI runs a fixed seed and case count, so a new finding cannot turn main red at random.
 *   FUZZ_RUNS=5000 FUZZ_SEED=random npx jest test/integration/api-fuzz.e2e-spec.ts --selectProjects integration:postgres
 * explores further; a failure prints its seed, path and shrunk request (replay with FUZZ_SEED=… FUZZ_PATH=…).
 * FUZZ_TALLY=1 sends every generated case without stopping at the first failure and prints the 5xx count.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const FUZZ_SEED =
  process.env.FUZZ_SEED === 'random'
    ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
    : Number(process.env.FUZZ_SEED ?? 20261130);
const FUZZ_PATH = process.env.FUZZ_PATH;
const FUZZ_TALLY = process.env.FUZZ_TALLY === '1';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}
interface ApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

type Auth = 'admin' | 'member' | 'none' | 'wrong' | 'malformed';
interface FuzzRequest {
  method: string;
  route: string;
  path: string;
  query: string;
  auth: Auth;
  bootstrap?: 'right' | 'wrong' | 'none';
  /** Sent verbatim with Content-Type application/json; undefined = no body. */
  body?: string;
}

const NUL = '\u0000';
const LONE_SURROGATES = ['\ud800', '\udfff', 'x\udc00@example.com', 'Ada \ud83d'];
const deepJson = (depth: number, open = '{"a":', close = '}') => `${open.repeat(depth)}1${close.repeat(depth)}`;
const OVERSIZED_BODY = JSON.stringify({ name: 'x'.repeat(1_100_000) });
const MISSING = Symbol('missing');

/** Values that break a field's contract: wrong types, NUL, lone surrogates, out-of-range dates and numbers, deep nesting. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(null, '', '   ', NUL, `a${NUL}b`, `${NUL}@example.com`, ...LONE_SURROGATES) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0000-01-01',
      '9999-12-31',
      '1899-12-31',
      '3000-01-01',
      '2026-02-30',
      '+275760-09-13',
      '-000001-01-01',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(Number('92233720368547758'), 1e308, -1, 0, 1.5, Number.MAX_SAFE_INTEGER, -1e21, 2 ** 31),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(5000)) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 60 }).map((depth) => JSON.parse(deepJson(depth)) as unknown) },
);

/** Raw bodies that are not an object of the documented shape at all. */
const hostileRawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    deepJson(3000),
    deepJson(33),
    deepJson(32),
    deepJson(5000, '[', ']'),
    '{"name":',
    '{',
    'not json',
    'null',
    '"a string"',
    '42',
    '[]',
    '[{"name":"x"}]',
    '{"admin":[]}',
    '{"admin":null}',
    '{"__proto__":{"role":"admin"}}',
    `{"name":"a\\u0000b"}`,
    `{"email":"x\\ud800@example.com"}`,
    OVERSIZED_BODY,
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

function safeEncode(value: string): string {
  // encodeURIComponent throws on lone surrogates; send them as the raw (invalid UTF-8) bytes of a surrogate.
  return Array.from(value, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      return '%ED%A0%80';
    }
  }).join('');
}

function asQueryText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

describe(`API fuzz: no generated request answers 5xx (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  let t: TestApp;
  let acme: CreatedWorkspace;
  let member: { id: string; token: string; email: string };
  let company: PersonioCompany;
  let document: ApiDocument;
  const knownIds: string[] = [];
  const knownEmails: string[] = [];

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator);
    acme = await createWorkspace(t, { plan: 'business' });
    member = await createUser(t, acme.adminToken, { email: 'mia@acme.test' });
    const second = await createUser(t, acme.adminToken, { email: 'ole@acme.test', role: 'admin' });
    const mia = simPerson('mia@acme.test');
    company = createCompany(simulator, [mia], [dayAbsence(mia.id, '2026-07-27', '2026-07-31')]);
    expect((await connectPersonio(t, acme.adminToken, acme.id, company)).status).toBe(200);
    const absences = (await t.http.get('/api/v1/absences').set(bearer(acme.adminToken)).expect(200)).body as Array<{
      id: string;
    }>;
    const manual = await t.http
      .post('/api/v1/absences')
      .set(bearer(member.token))
      .send({ userId: member.id, startOn: '2026-08-03', endOn: '2026-08-04' })
      .expect(201);
    knownIds.push(acme.adminId, member.id, second.id, acme.id, manual.body.id, ...absences.map((a) => a.id));
    knownEmails.push('admin@acme.test', 'mia@acme.test', 'ole@acme.test');
    document = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    if (t) {
      await t.app.get(SyncClaimsService).whenIdle(acme.id);
      await t.close();
    }
    await simulator.stop();
  });

  const resolve = (schema: Schema): Schema =>
    schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;

  /** A value that follows the documented schema (with the test's real ids, e-mails and credentials mixed in). */
  function validValue(rawSchema: Schema, name: string): fc.Arbitrary<unknown> {
    const schema = resolve(rawSchema);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.type === 'object' && schema.properties) return objectValue(schema);
    if (schema.type === 'boolean') return fc.boolean();
    if (schema.type === 'number' || schema.type === 'integer')
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    if (schema.format === 'uuid' || name === 'id' || name.endsWith('Id'))
      return name === 'clientId'
        ? fc.constantFrom(company.clientId, 'unknown-client')
        : fc.oneof(fc.constantFrom(...knownIds), fc.uuid());
    if (schema.format === 'date') {
      // Start-like fields early in the year, end-like ones late, so most valid pairs are in order.
      const late = /^(endOn|to)$/.test(name);
      const bounds = late ? ['2026-07-01', '2027-06-30'] : ['2025-07-01', '2026-06-30'];
      return fc
        .date({ min: new Date(bounds[0]), max: new Date(bounds[1]), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    }
    if (name === 'email') return fc.oneof(fc.constantFrom(...knownEmails), fc.emailAddress());
    if (name === 'clientSecret') return fc.constantFrom(company.clientSecret, 'wrong-secret');
    if (name === 'timeZone') return fc.constantFrom('Europe/Berlin', 'Pacific/Kiritimati', 'America/Los_Angeles');
    return fc.oneof(fc.constant(schema.example ?? 'text'), fc.string({ minLength: 1, maxLength: 30 }));
  }

  /** A documented object: every field valid, optional ones sometimes left out. */
  function objectValue(rawSchema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const schema = resolve(rawSchema);
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties ?? {}).map(([key, property]) => {
      const value = validValue(property, key);
      return [key, required.has(key) ? value : fc.option(value, { nil: MISSING as unknown })] as const;
    });
    return fc.tuple(...fields.map(([, value]) => value)).map((values) => {
      const object: Record<string, unknown> = {};
      fields.forEach(([key], index) => {
        if (values[index] !== MISSING) object[key] = values[index];
      });
      return object;
    });
  }

  /** Field paths of a body schema, nested objects included (`admin`, `admin.email`, …), plus unknown ones. */
  function fieldPaths(schema: Schema, prefix = ''): string[] {
    return Object.entries(resolve(schema).properties ?? {}).flatMap(([key, property]) => {
      const nested = resolve(property);
      return [prefix + key, ...(nested.properties ? fieldPaths(nested, `${prefix}${key}.`) : [])];
    });
  }

  /** A valid body with zero to three fields broken or removed, so single hostile values reach the handler. */
  function mutatedBody(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const paths = [...fieldPaths(schema), 'unknown', '__proto__', 'role'];
    const mutation = fc.tuple(
      fc.constantFrom(...paths),
      fc.oneof({ weight: 4, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant(MISSING) }),
    );
    return fc.tuple(objectValue(schema), fc.array(mutation, { maxLength: 3 })).map(([object, mutations]) => {
      const body = structuredClone(object);
      for (const [path, value] of mutations) {
        const keys = path.split('.');
        let target: Record<string, unknown> = body;
        for (const key of keys.slice(0, -1)) {
          const next = target[key];
          if (next === null || typeof next !== 'object' || Array.isArray(next)) break;
          target = next as Record<string, unknown>;
        }
        const last = keys[keys.length - 1];
        if (value === MISSING) delete target[last];
        else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
      }
      return body;
    });
  }

  function pathValue(): fc.Arbitrary<string> {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...knownIds) },
      { weight: 2, arbitrary: fc.uuid() },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '%00',
          'abc',
          'me',
          '%ED%A0%80',
          '%FF',
          '1'.repeat(2000),
          '-1',
          '00000000-0000-0000-0000-000000000000x',
          'null',
        ),
      },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(safeEncode) },
    );
  }

  const hostileQueryText = fc.oneof(
    { weight: 3, arbitrary: hostileValue.map((value) => safeEncode(asQueryText(value))) },
    { weight: 1, arbitrary: fc.constantFrom('%00', '%ED%A0%80', '92233720368547758', '1e400', '0x10', '') },
  );

  function queryValue(parameter: Parameter): fc.Arbitrary<string | typeof MISSING> {
    const valid = validValue(parameter.schema ?? {}, parameter.name).map((value) => safeEncode(asQueryText(value)));
    return fc.oneof({ weight: 2, arbitrary: fc.constant(MISSING) }, { weight: 3, arbitrary: valid });
  }

  function requestFor(method: string, route: string, operation: Operation): fc.Arbitrary<FuzzRequest> {
    const parameters = operation.parameters ?? [];
    const pathParameters = parameters.filter((p) => p.in === 'path');
    const queryParameters = parameters.filter((p) => p.in === 'query');
    const bodySchema = operation.requestBody?.content['application/json']?.schema;
    const body: fc.Arbitrary<string | undefined> = bodySchema
      ? fc.oneof(
          { weight: 6, arbitrary: mutatedBody(bodySchema).map((value) => JSON.stringify(value)) },
          { weight: 2, arbitrary: hostileRawBody },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
      : fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileRawBody });
    return fc
      .record({
        path: fc.tuple(...pathParameters.map(() => pathValue())),
        query: fc.tuple(...queryParameters.map((p) => queryValue(p))),
        // Zero to two documented query parameters broken, so a single hostile value reaches the handler.
        brokenQuery: queryParameters.length
          ? fc.array(fc.tuple(fc.nat(queryParameters.length - 1), hostileQueryText), { maxLength: 2 })
          : fc.constant([]),
        extraQuery: fc.oneof(
          { weight: 12, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('unknown=1', 'page=1&page=2', 'limit[]=3', 'from=%00') },
        ),
        auth: fc.oneof(
          { weight: 5, arbitrary: fc.constant<Auth>('admin') },
          { weight: 2, arbitrary: fc.constant<Auth>('member') },
          { weight: 2, arbitrary: fc.constantFrom<Auth>('none', 'wrong', 'malformed') },
        ),
        bootstrap: fc.constantFrom<'right' | 'wrong' | 'none'>('right', 'right', 'wrong', 'none'),
        body,
      })
      .map(({ path, query, brokenQuery, extraQuery, auth, bootstrap, body }) => {
        for (const [index, text] of brokenQuery) query[index] = text;
        let concrete = route;
        pathParameters.forEach((p, index) => (concrete = concrete.replace(`{${p.name}}`, path[index])));
        const pairs = queryParameters.flatMap((p, index) =>
          query[index] === MISSING ? [] : [`${p.name}=${String(query[index])}`],
        );
        if (extraQuery) pairs.push(extraQuery);
        return { method, route, path: concrete, query: pairs.join('&'), auth, bootstrap, body };
      });
  }

  function allRequests(): fc.Arbitrary<FuzzRequest> {
    const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]) => requestFor(method, route, operation)),
    );
    return fc.oneof(...operations);
  }

  async function send(request: FuzzRequest): Promise<{ status: number; body: unknown }> {
    const url = request.query ? `${request.path}?${request.query}` : request.path;
    let call = (t.http as unknown as Record<string, (url: string) => import('supertest').Test>)[request.method](url);
    if (request.auth === 'admin') call = call.set(bearer(acme.adminToken));
    if (request.auth === 'member') call = call.set(bearer(member.token));
    if (request.auth === 'wrong') call = call.set(bearer('awk_not-a-real-token'));
    if (request.auth === 'malformed') call = call.set('Authorization', 'Basic Zm9vOmJhcg==');
    if (request.bootstrap === 'right') call = call.set('X-Bootstrap-Token', TEST_BOOTSTRAP_TOKEN);
    if (request.bootstrap === 'wrong') call = call.set('X-Bootstrap-Token', 'wrong');
    if (request.body !== undefined) call = call.set('Content-Type', 'application/json').send(request.body);
    const response = await call;
    return { status: response.status, body: response.body as unknown };
  }

  /** Why the answer breaks the rule, or null when it keeps it. */
  function violation(request: FuzzRequest, status: number, body: unknown): string | null {
    const documented = document.paths[request.route][request.method].responses;
    if (status >= 500 && !([502, 503].includes(status) && String(status) in documented)) return `answered ${status}`;
    if (status >= 400) {
      const error = body as { statusCode?: unknown; message?: unknown };
      if (error?.statusCode !== status || error.message === undefined)
        return `answered ${status} without Nest's error shape`;
    }
    return null;
  }

  const describeRequest = (r: FuzzRequest) =>
    `${r.method.toUpperCase()} ${r.path}${r.query ? `?${r.query}` : ''} auth=${r.auth} bootstrap=${r.bootstrap} body=${
      r.body === undefined
        ? '(none)'
        : r.body.length > 300
          ? `${r.body.slice(0, 300)}… (${r.body.length} chars)`
          : r.body
    }`;

  it(`answers ${FUZZ_RUNS} generated requests over every documented route without a 5xx (seed ${FUZZ_SEED})`, async () => {
    const statuses = new Map<number, number>();
    const started = Date.now();
    if (FUZZ_TALLY) {
      const failures: string[] = [];
      for (const request of fc.sample(allRequests(), { seed: FUZZ_SEED, numRuns: FUZZ_RUNS })) {
        const { status, body } = await send(request);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const problem = violation(request, status, body);
        if (problem) failures.push(`${problem}: ${describeRequest(request)} → ${JSON.stringify(body).slice(0, 200)}`);
      }
      const fiveXx = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
      console.log(
        `api fuzz tally (${process.env.TEST_DB}): ${FUZZ_RUNS} cases, seed ${FUZZ_SEED}, ${fiveXx} answered 5xx, ${failures.length} broke the rule, ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n${failures.join('\n')}`,
      );
      expect(failures).toEqual([]);
      return;
    }
    await fc.assert(
      fc.asyncProperty(allRequests(), async (request) => {
        const { status, body } = await send(request);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const problem = violation(request, status, body);
        if (problem) throw new Error(`${problem}: ${describeRequest(request)} → ${JSON.stringify(body).slice(0, 500)}`);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, path: FUZZ_PATH, endOnFailure: false },
    );
    console.log(
      `api fuzz (${process.env.TEST_DB}): ${FUZZ_RUNS} cases, seed ${FUZZ_SEED}, ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    );
  }, 180_000);
});
