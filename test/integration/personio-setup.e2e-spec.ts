import { PersonioSimulator } from '../../src/personio-simulator';
import { Absence } from '../../src/host/absences/absence.entity';
import { PersonioIntegration } from '../../src/integrations/personio/personio-integration.entity';
import { PersonioCredentialService } from '../../src/integrations/personio/credentials/personio-credential.service';
import { CapturedLogger } from '../support/captured-logger';
import {
  connectPersonio,
  createCompany,
  dayAbsence,
  listAbsences,
  PersonioCompany,
  simPerson,
  startAppWithSimulator,
} from '../support/personio-fixture';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

describe(`Personio setup: credentials, plan gate, users report (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  const logs = new CapturedLogger();
  let t: TestApp;
  let acme: CreatedWorkspace;
  let company: PersonioCompany;
  const integration = '/api/v1/integrations/personio';

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator, { logger: logs });
    acme = await createWorkspace(t, { plan: 'business' });
    const mia = simPerson('  MIA@Acme.test ');
    company = createCompany(simulator, [mia], [dayAbsence(mia.id, '2026-07-27', '2026-07-31')]);
    await createUser(t, acme.adminToken, { email: 'mia@acme.test' });
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  const admin = () => bearer(acme.adminToken);
  let freshSequence = 0;

  // Each test arranges the connection state it needs, so none depends on which ran before it.
  const unconnectedWorkspace = () =>
    createWorkspace(t, { name: `Fresh ${++freshSequence}`, adminEmail: `admin@fresh${freshSequence}.test` });
  const integrationsOf = (workspaceId: string) =>
    t.dataSource.getRepository(PersonioIntegration).countBy({ workspaceId });

  async function ensureConnected(): Promise<void> {
    if ((await integrationsOf(acme.id)) === 0)
      expect((await connectPersonio(t, acme.adminToken, acme.id, company)).status).toBe(200);
  }

  it('answers 404 before anything is connected', async () => {
    const fresh = await unconnectedWorkspace();
    await t.http.get(integration).set(bearer(fresh.adminToken)).expect(404);
  });

  it('refuses rejected credentials with 422 and stores nothing', async () => {
    const fresh = await unconnectedWorkspace();
    const response = await t.http
      .put(integration)
      .set(bearer(fresh.adminToken))
      .send({ clientId: company.clientId, clientSecret: 'wrong-secret' })
      .expect(422);
    expect(response.body.message).toMatch(/Personio rejected the client ID or client secret/);
    expect(await integrationsOf(fresh.id)).toBe(0);
  });

  it('names the missing permission when a scope is lacking', async () => {
    const fresh = await unconnectedWorkspace();
    simulator.setCredential(company.companyId, {
      clientId: 'no-absences',
      clientSecret: 'no-absences-secret',
      scopes: ['personio:persons:read'],
    });
    const response = await t.http
      .put(integration)
      .set(bearer(fresh.adminToken))
      .send({ clientId: 'no-absences', clientSecret: 'no-absences-secret' })
      .expect(422);
    expect(response.body.message).toContain('personio:absences:read');
    expect(await integrationsOf(fresh.id)).toBe(0);
  });

  it('answers 503 when Personio is unreachable, storing nothing', async () => {
    const fresh = await unconnectedWorkspace();
    // Every endpoint: a token cached by an earlier connect of this company skips the token request.
    simulator.setFaults({ pageFailures: [{ endpoint: '*', status: 503 }] });
    try {
      const response = await t.http
        .put(integration)
        .set(bearer(fresh.adminToken))
        .send({ clientId: company.clientId, clientSecret: company.clientSecret });
      expect([502, 503]).toContain(response.status);
      expect(response.body.message).toMatch(/Personio/);
    } finally {
      simulator.clearFaults();
    }
    expect(await integrationsOf(fresh.id)).toBe(0);
  });

  it('validates the body and names the field', async () => {
    const fresh = await unconnectedWorkspace();
    const response = await t.http
      .put(integration)
      .set(bearer(fresh.adminToken))
      .send({ clientId: '', clientSecret: 'x', extra: 1 })
      .expect(400);
    expect(JSON.stringify(response.body.message)).toContain('clientId');
    expect(JSON.stringify(response.body.message)).toContain('extra');
  });

  it('refuses members and workspaces below the Business plan', async () => {
    const member = await createUser(t, acme.adminToken, { email: 'member@acme.test' });
    await t.http
      .put(integration)
      .set(bearer(member.token))
      .send({ clientId: company.clientId, clientSecret: company.clientSecret })
      .expect(403);
    const basic = await createWorkspace(t, { plan: 'basic', adminEmail: 'admin@basic.test' });
    const response = await t.http
      .put(integration)
      .set(bearer(basic.adminToken))
      .send({ clientId: company.clientId, clientSecret: company.clientSecret })
      .expect(403);
    expect(response.body.message).toMatch(/Business plan/);
  });

  it('connects with good credentials: 200, active, secret encrypted at rest and bound to the workspace', async () => {
    if ((await integrationsOf(acme.id)) > 0) await t.http.delete(integration).set(admin()).expect(204);
    const response = await connectPersonio(t, acme.adminToken, acme.id, company);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      connected: true,
      clientId: company.clientId,
      hasClientSecret: true,
      hideAbsenceDetails: false,
      status: 'active',
    });
    expect(JSON.stringify(response.body)).not.toContain(company.clientSecret);

    const row = await t.dataSource.getRepository(PersonioIntegration).findOneByOrFail({ workspaceId: acme.id });
    expect(row.clientSecretEncrypted).not.toContain(company.clientSecret);
    const credentials = t.app.get(PersonioCredentialService);
    expect(credentials.credentialsOf(row).clientSecret).toBe(company.clientSecret);
    expect(() => credentials.credentialsOf({ ...row, workspaceId: 'another-workspace' })).toThrow();

    const status = await t.http.get(integration).set(admin()).expect(200);
    expect(status.body.status).toBe('active');
    expect(status.body.lastRun).toMatchObject({ trigger: 'setup', status: 'succeeded', created: 1 });
    expect(JSON.stringify(status.body)).not.toContain(company.clientSecret);
    // Every request the app made carried the default X-Personio-App-ID, and no partner id (none configured).
    expect(Object.keys(simulator.stats.byAppId)).toEqual(['awork-absence-sync']);
    expect(Object.keys(simulator.stats.byPartnerId)).toEqual(['(none)']);
  });

  it('keeps another workspace out of this integration', async () => {
    await ensureConnected();
    const other = await createWorkspace(t, { plan: 'enterprise', adminEmail: 'admin@other.test' });
    await t.http.get(integration).set(bearer(other.adminToken)).expect(404);
    await t.http.get(`${integration}/users`).set(bearer(other.adminToken)).expect(404);
    await t.http.get(`${integration}/runs`).set(bearer(other.adminToken)).expect(404);
    await t.http.patch(integration).set(bearer(other.adminToken)).send({ hideAbsenceDetails: true }).expect(404);
    await t.http.delete(integration).set(bearer(other.adminToken)).expect(404);
    await t.http.get(integration).set(admin()).expect(200);
  });

  it('never logs the secret or Personio tokens', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(company.clientSecret);
    expect(logs.text()).not.toContain('wrong-secret');
    expect(logs.text()).not.toContain('no-absences-secret');
    for (const token of simulator.issuedTokens(company.companyId)) expect(logs.text()).not.toContain(token);
  });

  describe('users report', () => {
    it('matches by e-mail (trimmed, any case) and lists the unmatched on both sides with reasons', async () => {
      await ensureConnected();
      const noEmail = simPerson(null);
      const twinA = simPerson('shared@acme.test');
      const twinB = simPerson('SHARED@acme.test');
      const stranger = simPerson('nobody@acme.test');
      for (const person of [noEmail, twinA, twinB, stranger]) simulator.upsertPerson(company.companyId, person);
      await createUser(t, acme.adminToken, { email: 'shared@acme.test' });
      const lonely = await createUser(t, acme.adminToken, { email: 'lonely@acme.test' });

      const report = (await t.http.get(`${integration}/users`).set(admin()).expect(200)).body;
      expect(report.matched.map((m: { email: string }) => m.email)).toEqual(['mia@acme.test']);
      const reasons = Object.fromEntries(
        report.unmatchedPersonio.map((p: { personioPersonId: string; reason: string }) => [
          p.personioPersonId,
          p.reason,
        ]),
      );
      expect(reasons).toEqual({
        [noEmail.id]: 'no_email',
        [twinA.id]: 'duplicate_email',
        [twinB.id]: 'duplicate_email',
        [stranger.id]: 'no_awork_user',
      });
      const unmatchedAwork = report.unmatchedAwork.map((u: { email: string }) => u.email);
      expect(unmatchedAwork).toEqual(
        expect.arrayContaining(['lonely@acme.test', 'shared@acme.test', 'admin@acme.test']),
      );

      // The user fixes their address in awork: the match appears on the next report.
      await t.http.patch('/api/v1/users/me').set(bearer(lonely.token)).send({ email: 'Nobody@Acme.test' }).expect(200);
      const after = (await t.http.get(`${integration}/users`).set(admin()).expect(200)).body;
      expect(after.matched.map((m: { personioPersonId: string }) => m.personioPersonId)).toContain(stranger.id);
      await t.http.patch('/api/v1/users/me').set(bearer(lonely.token)).send({ email: 'lonely@acme.test' }).expect(200);
      const again = (await t.http.get(`${integration}/users`).set(admin()).expect(200)).body;
      expect(again.matched.map((m: { personioPersonId: string }) => m.personioPersonId)).not.toContain(stranger.id);
    });
  });

  describe('disconnect', () => {
    it('removes the integration and every transferred absence, leaving manual ones', async () => {
      await ensureConnected();
      const users = (await t.http.get('/api/v1/users').set(admin()).expect(200)).body as Array<{
        id: string;
        email: string;
      }>;
      const mia = users.find((u) => u.email === 'mia@acme.test')!;
      await t.http
        .post('/api/v1/absences')
        .set(admin())
        .send({ userId: mia.id, startOn: '2026-12-01', endOn: '2026-12-02' })
        .expect(201);
      expect((await listAbsences(t, acme.adminToken)).filter((a) => a.externalProvider === 'personio')).toHaveLength(1);

      await t.http.delete(integration).set(admin()).expect(204);
      await t.http.get(integration).set(admin()).expect(404);
      const remaining = await listAbsences(t, acme.adminToken);
      expect(remaining.map((a) => a.externalProvider)).toEqual([null]);
      expect(await t.dataSource.getRepository(Absence).countBy({ externalProvider: 'personio' })).toBe(0);
    });
  });
});
