import { eventually as pollUntil } from '../support/eventually';
import { PersonioSimulator } from '../../src/personio-simulator';
import { PersonioPersonLink } from '../../src/integrations/personio/matching/personio-person-link.entity';
import { PersonioPersonMatch } from '../../src/integrations/personio/matching/personio-person-match.entity';
import { SyncClaimsService } from '../../src/integrations/personio/sync/sync-claims.service';
import { PersonioWebhookEvent } from '../../src/integrations/personio/webhooks/personio-webhook-event.entity';
import { IsNull } from 'typeorm';
import {
  dayAbsence,
  HOME_OFFICE_TYPE,
  hourAbsence,
  PERSONIO_SCOPES,
  PersonioCompany,
  personioAbsences,
  simPerson,
  VACATION_TYPE,
  startAppWithSimulator,
  stopAppWithSimulator,
} from '../support/personio-fixture';
import { Json } from '../support/json';
import { bearer, createUser, createWorkspace, CreatedWorkspace, TestApp } from '../support/test-app';

const WEBHOOK_SCOPES = [...PERSONIO_SCOPES, 'personio:webhooks:read', 'personio:webhooks:write'];
const INTEGRATION = '/api/v1/integrations/personio';
const LINKS = `${INTEGRATION}/links`;
const DEADLINE_MS = 10_000;

/**
 * Issue 15 (first half) "Must show": manual links and the choice of absence types, end to end
 * through HTTP against the simulator on loopback (which also delivers webhooks to the app's port).
 */
describe(`Personio manual links and absence types (${process.env.TEST_DB})`, () => {
  const simulator = new PersonioSimulator();
  let t: TestApp;

  beforeAll(async () => {
    t = await startAppWithSimulator(simulator, { listen: true });
  });
  afterAll(() => stopAppWithSimulator(t, simulator));

  interface Setup {
    ws: CreatedWorkspace;
    company: PersonioCompany;
    /** Matched by e-mail. */
    mia: ReturnType<typeof simPerson>;
    miaUserId: string;
  }

  let sequence = 0;

  async function setup(options: { persons?: ReturnType<typeof simPerson>[]; hide?: boolean } = {}): Promise<Setup> {
    const n = ++sequence;
    const ws = await createWorkspace(t, { adminEmail: `admin-${n}@links.test` });
    const miaUser = await createUser(t, ws.adminToken, { email: `mia-${n}@links.test` });
    const mia = simPerson(miaUser.email);
    const company = newCompany([mia, ...(options.persons ?? [])]);
    const response = await t.http
      .put(INTEGRATION)
      .set(bearer(ws.adminToken))
      .send({ clientId: company.clientId, clientSecret: company.clientSecret, hideAbsenceDetails: options.hide });
    expect(response.status).toBe(200);
    await idle(ws);
    return { ws, company, mia, miaUserId: miaUser.id };
  }

  function newCompany(persons: ReturnType<typeof simPerson>[]): PersonioCompany {
    const companyId = `co-${Math.random().toString(36).slice(2, 10)}`;
    const company = { companyId, clientId: `${companyId}-client`, clientSecret: `secret-${companyId}` };
    simulator.createCompany({
      id: companyId,
      credentials: { clientId: company.clientId, clientSecret: company.clientSecret, scopes: WEBHOOK_SCOPES },
      persons,
      absenceTypes: [VACATION_TYPE, HOME_OFFICE_TYPE],
      absencePeriods: [],
    });
    return company;
  }

  const idle = (ws: CreatedWorkspace) => t.app.get(SyncClaimsService).whenIdle(ws.id);
  /** Every event Personio sent so far is delivered and applied, and no sync runs. */
  async function eventsSettled(s: Setup): Promise<void> {
    await simulator.settleDeliveries(s.company.companyId);
    await eventually(async () =>
      expect(
        await t.dataSource.getRepository(PersonioWebhookEvent).countBy({ workspaceId: s.ws.id, processedAt: IsNull() }),
      ).toBe(0),
    );
    await idle(s.ws);
  }
  const webhookRunIds = async (s: Setup) =>
    new Set((await runs(s)).filter((run) => run.trigger === 'webhook').map((run) => run.id));
  const webhookRunsSince = async (s: Setup, before: Set<unknown>) =>
    (await runs(s)).filter((run) => run.trigger === 'webhook' && !before.has(run.id));
  const admin = (s: Setup) => bearer(s.ws.adminToken);
  const eventually = <T>(check: () => Promise<T>) => pollUntil(check, DEADLINE_MS, 25);
  const copies = (s: Setup) => personioAbsences(t, s.ws.adminToken);
  const usersReport = async (s: Setup) => (await t.http.get(`${INTEGRATION}/users`).set(admin(s)).expect(200)).body;
  const status = async (s: Setup) => (await t.http.get(INTEGRATION).set(admin(s)).expect(200)).body as Json;
  const runs = async (s: Setup) =>
    (await t.http.get(`${INTEGRATION}/runs?limit=100`).set(admin(s)).expect(200)).body as Json[];
  const absenceTypes = async (s: Setup) =>
    (await t.http.get(`${INTEGRATION}/absence-types`).set(admin(s)).expect(200)).body as Json[];
  const link = (s: Setup, personId: string, userId: string) =>
    t.http.put(`${LINKS}/${personId}`).set(admin(s)).send({ userId });
  const exclude = (s: Setup, excludedAbsenceTypeIds: unknown) =>
    t.http.patch(INTEGRATION).set(admin(s)).send({ excludedAbsenceTypeIds });
  const byExternalId = (absences: Json[]) => absences.map((absence) => absence.externalId);

  describe('manual links', () => {
    it('links a person whose e-mail differs: the report says "link", the absences arrive, also through a webhook event', async () => {
      const jen = simPerson('jen.private@example.org', { firstName: 'Jen', lastName: 'Doe' });
      const s = await setup({ persons: [jen] });
      const jenUser = await createUser(t, s.ws.adminToken, { email: `jen-${s.ws.id.slice(0, 8)}@links.test` });
      const trip = dayAbsence(jen.id, '2026-08-03', '2026-08-05');
      simulator.upsertAbsencePeriod(s.company.companyId, trip);
      await idle(s.ws);
      expect((await usersReport(s)).unmatchedPersonio).toEqual([
        expect.objectContaining({ personioPersonId: jen.id, reason: 'no_awork_user' }),
      ]);

      const linked = await link(s, jen.id, jenUser.id).expect(200);
      expect(linked.body).toEqual({ personioPersonId: jen.id, userId: jenUser.id, createdAt: expect.any(String) });
      // The PUT started a sync in the background: the absence arrives without anyone asking for one.
      await eventually(async () =>
        expect(await copies(s)).toEqual([expect.objectContaining({ externalId: trip.id, userId: jenUser.id })]),
      );
      const report = await usersReport(s);
      expect(report.matched).toEqual(
        expect.arrayContaining([
          {
            userId: s.miaUserId,
            email: expect.any(String),
            personioPersonId: s.mia.id,
            name: expect.any(String),
            matchedBy: 'email',
          },
          { userId: jenUser.id, email: jenUser.email, personioPersonId: jen.id, name: 'Jen Doe', matchedBy: 'link' },
        ]),
      );
      expect(report.unmatchedPersonio).toEqual([]);
      expect(report.staleLinks).toEqual([]);
      expect((await t.http.get(LINKS).set(admin(s)).expect(200)).body).toEqual([linked.body]);

      // The event path maps through the matching the full sync stored, link included.
      await idle(s.ws);
      const later = dayAbsence(jen.id, '2026-09-07', '2026-09-08');
      simulator.upsertAbsencePeriod(s.company.companyId, later);
      await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.created' });
      await eventually(async () =>
        expect(await copies(s)).toEqual([
          expect.objectContaining({ externalId: trip.id, userId: jenUser.id }),
          expect.objectContaining({ externalId: later.id, userId: jenUser.id }),
        ]),
      );
      expect((await runs(s)).some((run) => run.trigger === 'webhook' && run.created === 1)).toBe(true);

      // Unlinked: the person is unmatched again and its copies go with the sync the DELETE starts.
      await t.http.delete(`${LINKS}/${jen.id}`).set(admin(s)).expect(204);
      await eventually(async () => expect(await copies(s)).toEqual([]));
      expect((await usersReport(s)).matched.map((m: Json) => m.personioPersonId)).toEqual([s.mia.id]);
      await t.http.delete(`${LINKS}/${jen.id}`).set(admin(s)).expect(404);
    });

    it('leaves a person whose e-mail names a user linked to someone else unmatched (linked_to_other_person)', async () => {
      const jenPrivate = simPerson('jen.private@example.org');
      const s = await setup({ persons: [jenPrivate] });
      const jenUser = await createUser(t, s.ws.adminToken, { email: `jen-${s.ws.id.slice(0, 8)}@links.test` });
      const jenWork = simPerson(jenUser.email.toUpperCase());
      simulator.upsertPerson(s.company.companyId, jenWork);
      const workAbsence = dayAbsence(jenWork.id, '2026-08-10', '2026-08-11');
      simulator.upsertAbsencePeriod(s.company.companyId, workAbsence);
      await idle(s.ws);

      await link(s, jenPrivate.id, jenUser.id).expect(200);
      await idle(s.ws);
      const report = await usersReport(s);
      expect(report.unmatchedPersonio).toEqual([
        expect.objectContaining({ personioPersonId: jenWork.id, reason: 'linked_to_other_person' }),
      ]);
      expect(report.matched).toEqual(
        expect.arrayContaining([expect.objectContaining({ personioPersonId: jenPrivate.id, matchedBy: 'link' })]),
      );
      await eventually(async () => expect(byExternalId(await copies(s))).toEqual([]));
    });

    it('answers 409 naming the other link when the user is already linked, and keeps the first link', async () => {
      const a = simPerson('a.private@example.org');
      const b = simPerson('b.private@example.org');
      const s = await setup({ persons: [a, b] });
      const user = await createUser(t, s.ws.adminToken, { email: `ab-${s.ws.id.slice(0, 8)}@links.test` });
      await link(s, a.id, user.id).expect(200);
      const conflict = await link(s, b.id, user.id).expect(409);
      expect(conflict.body.message).toContain(`already linked to Personio person ${a.id}`);
      expect(conflict.body.message).toContain(`${LINKS}/${a.id}`);
      // The same link again is no conflict, and changes nothing (no sync); a person may be moved to another user.
      await idle(s.ws);
      const runsBefore = (await runs(s)).length;
      await link(s, a.id, user.id).expect(200);
      await idle(s.ws);
      expect((await runs(s)).length).toBe(runsBefore);
      await link(s, a.id, s.miaUserId).expect(200);
      await link(s, b.id, user.id).expect(200);
      const links = (await t.http.get(LINKS).set(admin(s)).expect(200)).body as Json[];
      expect(links.map((l) => [l.personioPersonId, l.userId]).sort()).toEqual(
        [
          [a.id, s.miaUserId],
          [b.id, user.id],
        ].sort(),
      );
      await idle(s.ws);
    });

    it('validates the input, naming the field, and keeps members and other workspaces out', async () => {
      const s = await setup();
      const other = await createWorkspace(t, { adminEmail: `admin-other-${s.ws.id.slice(0, 8)}@links.test` });
      const stranger = await createUser(t, other.adminToken, { email: `stranger-${s.ws.id.slice(0, 8)}@links.test` });

      const notUuid = await link(s, s.mia.id, 'not-a-uuid').expect(400);
      expect(JSON.stringify(notUuid.body.message)).toContain('userId');
      const missing = await t.http.put(`${LINKS}/${s.mia.id}`).set(admin(s)).send({}).expect(400);
      expect(JSON.stringify(missing.body.message)).toContain('userId');
      const foreign = await link(s, s.mia.id, stranger.id).expect(404);
      expect(foreign.body.message).toContain('userId');
      for (const badId of ['%00', 'x'.repeat(129), '-1', '%20', 'a%2Fb']) {
        const response = await t.http.put(`${LINKS}/${badId}`).set(admin(s)).send({ userId: s.miaUserId });
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toContain('personioPersonId');
      }
      const badDelete = await t.http
        .delete(`${LINKS}/${'9'.repeat(200)}`)
        .set(admin(s))
        .expect(400);
      expect(badDelete.body.message).toContain('personioPersonId');

      const member = await createUser(t, s.ws.adminToken, { email: `member-${s.ws.id.slice(0, 8)}@links.test` });
      await t.http.put(`${LINKS}/${s.mia.id}`).set(bearer(member.token)).send({ userId: member.id }).expect(403);
      await t.http.get(LINKS).set(bearer(member.token)).expect(403);
      await t.http.get(`${INTEGRATION}/absence-types`).set(bearer(member.token)).expect(403);
      // Another workspace (not connected) sees none of this workspace's links.
      await t.http.get(LINKS).set(bearer(other.adminToken)).expect(404);
      await t.http.put(`${LINKS}/${s.mia.id}`).set(bearer(other.adminToken)).send({ userId: stranger.id }).expect(404);
      await t.http.delete(`${LINKS}/${s.mia.id}`).set(bearer(other.adminToken)).expect(404);
      await t.http.get(`${INTEGRATION}/absence-types`).set(bearer(other.adminToken)).expect(404);
      expect(await t.dataSource.getRepository(PersonioPersonLink).countBy({ workspaceId: s.ws.id })).toBe(0);
    });

    it('shows a link to a person deleted in Personio as stale, with its reason, and the user as unmatched', async () => {
      const leaver = simPerson('leaver.private@example.org');
      const s = await setup({ persons: [leaver] });
      const user = await createUser(t, s.ws.adminToken, { email: `leaver-${s.ws.id.slice(0, 8)}@links.test` });
      await link(s, leaver.id, user.id).expect(200);
      await idle(s.ws);
      simulator.deletePerson(s.company.companyId, leaver.id);

      const report = await usersReport(s);
      expect(report.staleLinks).toEqual([
        { personioPersonId: leaver.id, userId: user.id, reason: 'person_not_in_personio' },
      ]);
      expect(report.unmatchedAwork.map((u: Json) => u.userId)).toContain(user.id);
      expect(report.matched.map((m: Json) => m.personioPersonId)).toEqual([s.mia.id]);
      // A stale link still holds its user: linking it elsewhere names it, deleting it frees the user.
      expect((await link(s, s.mia.id, user.id).expect(409)).body.message).toContain(leaver.id);
      await t.http.delete(`${LINKS}/${leaver.id}`).set(admin(s)).expect(204);
      await idle(s.ws);
      expect((await usersReport(s)).staleLinks).toEqual([]);
    });

    it('keeps links (and the type choice) on new credentials for the same client ID, drops them on another', async () => {
      const jen = simPerson('jen.private@example.org');
      const s = await setup({ persons: [jen] });
      const jenUser = await createUser(t, s.ws.adminToken, { email: `jen-${s.ws.id.slice(0, 8)}@links.test` });
      await link(s, jen.id, jenUser.id).expect(200);
      await exclude(s, [HOME_OFFICE_TYPE.id]).expect(200);
      await idle(s.ws);

      // Same client, rotated secret.
      const rotated = `${s.company.clientSecret}-rotated`;
      simulator.setCredential(s.company.companyId, {
        clientId: s.company.clientId,
        clientSecret: rotated,
        scopes: WEBHOOK_SCOPES,
      });
      const same = await t.http
        .put(INTEGRATION)
        .set(admin(s))
        .send({ clientId: s.company.clientId, clientSecret: rotated })
        .expect(200);
      expect(same.body.excludedAbsenceTypeIds).toEqual([HOME_OFFICE_TYPE.id]);
      await idle(s.ws);
      expect((await t.http.get(LINKS).set(admin(s)).expect(200)).body).toEqual([
        expect.objectContaining({ personioPersonId: jen.id, userId: jenUser.id }),
      ]);
      expect((await usersReport(s)).matched).toEqual(
        expect.arrayContaining([expect.objectContaining({ personioPersonId: jen.id, matchedBy: 'link' })]),
      );

      // Another client ID (maybe another company, whose person ids mean other people).
      const another = newCompany([simPerson(`mia-${sequence}@links.test`)]);
      const storedMatches = () => t.dataSource.getRepository(PersonioPersonMatch).countBy({ workspaceId: s.ws.id });
      expect(await storedMatches()).toBeGreaterThan(0);
      // The setup sync is held at its absence types (only the sync asks for them, not the credential
      // check), so what the PUT itself left behind can be seen.
      simulator.hold({ endpoint: '/v2/absence-types' }, another.companyId);
      try {
        const changed = await t.http
          .put(INTEGRATION)
          .set(admin(s))
          .send({ clientId: another.clientId, clientSecret: another.clientSecret })
          .expect(200);
        expect(changed.body.excludedAbsenceTypeIds).toEqual([]);
        expect((await t.http.get(LINKS).set(admin(s)).expect(200)).body).toEqual([]);
        // Nor may an event map the new company's ids with the old company's pairs.
        await simulator.whenHeld(another.companyId);
        expect(await storedMatches()).toBe(0);
      } finally {
        // Also lets the held request go on.
        simulator.clearFaults(another.companyId);
      }
      await idle(s.ws);
      expect(await storedMatches()).toBe(1);

      // And the integration takes its links with it.
      await link(s, jen.id, jenUser.id).expect(200);
      await idle(s.ws);
      await t.http.delete(INTEGRATION).set(admin(s)).expect(204);
      expect(await t.dataSource.getRepository(PersonioPersonLink).countBy({ workspaceId: s.ws.id })).toBe(0);
    });
  });

  describe('absence types', () => {
    it('lists the types live with transferred; excluding home office removes its earlier copies while vacation stays', async () => {
      const s = await setup();
      const vacation = dayAbsence(s.mia.id, '2026-08-03', '2026-08-05');
      const homeOffice = hourAbsence(s.mia.id, '2026-08-10', '09:00', '13:00');
      simulator.upsertAbsencePeriod(s.company.companyId, vacation);
      simulator.upsertAbsencePeriod(s.company.companyId, homeOffice);
      await t.http.post(`${INTEGRATION}/sync`).set(admin(s)).expect(200);
      await eventsSettled(s);
      expect(byExternalId(await copies(s))).toEqual([vacation.id, homeOffice.id].sort());
      expect(await absenceTypes(s)).toEqual([
        { id: HOME_OFFICE_TYPE.id, name: 'Home office', category: 'OFFSITE_WORK', unit: 'HOUR', transferred: true },
        { id: VACATION_TYPE.id, name: 'Paid vacation', category: 'PAID_VACATION', unit: 'DAY', transferred: true },
      ]);
      expect((await status(s)).excludedAbsenceTypeIds).toEqual([]);

      const patched = await exclude(s, [HOME_OFFICE_TYPE.id, HOME_OFFICE_TYPE.id]).expect(200);
      expect(patched.body.excludedAbsenceTypeIds).toEqual([HOME_OFFICE_TYPE.id]);
      // The PATCH started the sync that removes the copy.
      await eventually(async () => expect(byExternalId(await copies(s))).toEqual([vacation.id]));
      expect((await absenceTypes(s)).map((type) => [type.id, type.transferred])).toEqual([
        [HOME_OFFICE_TYPE.id, false],
        [VACATION_TYPE.id, true],
      ]);
      await idle(s.ws);
      expect((await status(s)).lastRun).toMatchObject({ status: 'succeeded', deleted: 1, skipped: 1 });

      // Events: a new home-office absence creates nothing; a new vacation arrives.
      const before = await webhookRunIds(s);
      const moreHomeOffice = hourAbsence(s.mia.id, '2026-08-11', '09:00', '17:00');
      simulator.upsertAbsencePeriod(s.company.companyId, moreHomeOffice);
      await simulator.whenDelivered({ companyId: s.company.companyId, eventName: 'absence-period.created' });
      await eventually(async () =>
        expect(await webhookRunsSince(s, before)).toEqual([
          expect.objectContaining({ status: 'succeeded', created: 0, skipped: 1 }),
        ]),
      );
      expect(byExternalId(await copies(s))).toEqual([vacation.id]);
      const moreVacation = dayAbsence(s.mia.id, '2026-09-01', '2026-09-02');
      simulator.upsertAbsencePeriod(s.company.companyId, moreVacation);
      await eventually(async () =>
        expect(byExternalId(await copies(s))).toEqual([vacation.id, moreVacation.id].sort()),
      );

      // Included again: home office comes back with the sync the PATCH starts.
      await exclude(s, []).expect(200);
      await eventually(async () => expect(await copies(s)).toHaveLength(4));
      await idle(s.ws);
    });

    it('on the event path, an event for an absence of an excluded type deletes its earlier copy', async () => {
      const s = await setup();
      const homeOffice = hourAbsence(s.mia.id, '2026-08-10', '09:00', '13:00');
      simulator.upsertAbsencePeriod(s.company.companyId, homeOffice);
      await t.http.post(`${INTEGRATION}/sync`).set(admin(s)).expect(200);
      await eventsSettled(s);
      expect(byExternalId(await copies(s))).toEqual([homeOffice.id]);
      const before = await webhookRunIds(s);

      // The full sync the PATCH starts fails (persons unreachable), so only the event path can remove the copy.
      simulator.failPage({ endpoint: '/v2/persons', status: 500 }, s.company.companyId);
      try {
        await exclude(s, [HOME_OFFICE_TYPE.id]).expect(200);
        await idle(s.ws);
        expect((await status(s)).lastRun).toMatchObject({ status: 'failed' });
        expect(byExternalId(await copies(s))).toEqual([homeOffice.id]);

        simulator.updateAbsencePeriod(s.company.companyId, homeOffice.id, {
          endsAt: { dateTime: '2026-08-10T15:00:00', type: 'SECOND_HALF' },
        });
        await simulator.whenDelivered({
          companyId: s.company.companyId,
          eventName: 'absence-period.updated.timerange',
        });
        await eventually(async () => expect(await copies(s)).toEqual([]));
        expect(await webhookRunsSince(s, before)).toEqual([
          expect.objectContaining({ status: 'succeeded', deleted: 1 }),
        ]);
      } finally {
        simulator.clearFaults(s.company.companyId);
      }
    });

    it('works with hide-details on: the choice is by id, and the remaining copies carry no details', async () => {
      const s = await setup({ hide: true });
      const vacation = dayAbsence(s.mia.id, '2026-08-03', '2026-08-05', { comment: 'Family trip' });
      const homeOffice = hourAbsence(s.mia.id, '2026-08-10', '09:00', '13:00');
      simulator.upsertAbsencePeriod(s.company.companyId, vacation);
      simulator.upsertAbsencePeriod(s.company.companyId, homeOffice);
      await t.http.post(`${INTEGRATION}/sync`).set(admin(s)).expect(200);
      expect(await copies(s)).toHaveLength(2);

      // Both settings in one PATCH; hide-details stays on.
      const patched = await t.http
        .patch(INTEGRATION)
        .set(admin(s))
        .send({ hideAbsenceDetails: true, excludedAbsenceTypeIds: [HOME_OFFICE_TYPE.id] })
        .expect(200);
      expect(patched.body).toMatchObject({ hideAbsenceDetails: true, excludedAbsenceTypeIds: [HOME_OFFICE_TYPE.id] });
      await eventually(async () =>
        expect(await copies(s)).toEqual([expect.objectContaining({ externalId: vacation.id, description: null })]),
      );
      await idle(s.ws);
    });

    it('validates excludedAbsenceTypeIds, naming the field', async () => {
      const s = await setup();
      for (const bad of ['type-home', [1], [''], null, ['x'.repeat(201)], Array(501).fill('t'), { a: 1 }]) {
        const response = await exclude(s, bad);
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toContain('excludedAbsenceTypeIds');
      }
      const empty = await t.http.patch(INTEGRATION).set(admin(s)).send({}).expect(400);
      expect(JSON.stringify(empty.body.message)).toContain('excludedAbsenceTypeIds');
      expect((await status(s)).excludedAbsenceTypeIds).toEqual([]);
      // Hide-details alone still works as before and starts no sync.
      const runsBefore = (await runs(s)).length;
      await t.http.patch(INTEGRATION).set(admin(s)).send({ hideAbsenceDetails: true }).expect(200);
      expect((await runs(s)).length).toBe(runsBefore);
    });
  });
});
