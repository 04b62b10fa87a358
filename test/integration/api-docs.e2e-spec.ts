import { startTestApp, TestApp } from '../support/test-app';

// Every route of PRODUCT.md §5, as method + path with the /api/v1 prefix.
const PRODUCT_ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['post', '/api/v1/workspaces'],
  ['patch', '/api/v1/workspace'],
  ['post', '/api/v1/users'],
  ['get', '/api/v1/users'],
  ['patch', '/api/v1/users/{id}'],
  ['patch', '/api/v1/users/me'],
  ['get', '/api/v1/users/me'],
  ['get', '/api/v1/absences'],
  ['post', '/api/v1/absences'],
  ['get', '/api/v1/absences/{id}'],
  ['patch', '/api/v1/absences/{id}'],
  ['delete', '/api/v1/absences/{id}'],
  ['put', '/api/v1/integrations/personio'],
  ['get', '/api/v1/integrations/personio'],
  ['patch', '/api/v1/integrations/personio'],
  ['delete', '/api/v1/integrations/personio'],
  ['get', '/api/v1/integrations/personio/users'],
  ['post', '/api/v1/integrations/personio/sync'],
  ['get', '/api/v1/integrations/personio/runs'],
  ['get', '/api/v1/integrations/personio/duplicates'],
  ['post', '/api/v1/integrations/personio/duplicates/resolve'],
  ['get', '/api/v1/notifications'],
  ['get', '/api/v1/integrations/personio/absence-types'],
  ['get', '/api/v1/integrations/personio/links'],
  ['put', '/api/v1/integrations/personio/links/{personioPersonId}'],
  ['delete', '/api/v1/integrations/personio/links/{personioPersonId}'],
];

describe('OpenAPI document at /api/docs-json', () => {
  let testApp: TestApp;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  beforeAll(async () => {
    testApp = await startTestApp();
    document = (await testApp.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => testApp.close());

  it.each(PRODUCT_ROUTES)('documents %s %s', (method, path) => {
    expect(document.paths[path]?.[method]).toBeDefined();
  });

  it('documents the keepAbsences flag of DELETE /integrations/personio and the run field duplicates', () => {
    const names = (document.paths['/api/v1/integrations/personio'].delete.parameters ?? []).map((p) => p.name);
    expect(names).toContain('keepAbsences');
    expect(schemaOf('#/components/schemas/SyncRunView').properties).toHaveProperty('duplicates');
  });

  it('documents the path parameters and the health endpoint outside the API prefix', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/api/v1/absences/{id}'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]),
    );
    expect(document.paths['/health']?.get).toBeDefined();
  });

  const schemaOf = (ref: string) =>
    (
      document as unknown as {
        components: { schemas: Record<string, { properties?: Record<string, { example?: unknown }> }> };
      }
    ).components.schemas[ref.split('/').pop()!];

  it.each(PRODUCT_ROUTES.filter(([method, path]) => !['get', 'delete'].includes(method) && !path.endsWith('/sync')))(
    'documents the body of %s %s with its fields and an example',
    (method, path) => {
      const operation = document.paths[path][method] as {
        requestBody?: { content: Record<string, { schema: { $ref: string } }> };
      };
      const schema = schemaOf(operation.requestBody!.content['application/json'].schema.$ref);
      const properties = Object.values(schema.properties ?? {});
      expect(properties.length).toBeGreaterThan(0);
      expect(properties.some((property) => property.example !== undefined)).toBe(true);
    },
  );

  it.each([
    ['get', '/api/v1/absences/{id}', 'AbsenceView'],
    ['get', '/api/v1/integrations/personio', 'PersonioStatusView'],
    ['post', '/api/v1/integrations/personio/sync', 'SyncRunView'],
    ['get', '/api/v1/integrations/personio/users', 'UsersReportView'],
    ['post', '/api/v1/integrations/personio/duplicates/resolve', 'ResolvedDuplicatesView'],
    ['put', '/api/v1/integrations/personio/links/{personioPersonId}', 'PersonLinkView'],
  ])('documents the answer of %s %s', (method, path, schemaName) => {
    const operation = document.paths[path][method] as {
      responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
    };
    expect(operation.responses['200'].content!['application/json'].schema.$ref).toBe(
      `#/components/schemas/${schemaName}`,
    );
  });

  it('documents the query parameters of the absence listing', () => {
    const names = (document.paths['/api/v1/absences'].get.parameters ?? []).map((parameter) => parameter.name);
    expect(names).toEqual(expect.arrayContaining(['userId', 'from', 'to', 'page', 'pageSize']));
  });

  it('serves the Swagger UI at /api/docs', async () => {
    const page = await testApp.http.get('/api/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger');
  });
});
