import { INestApplication, LoggerService, NotFoundException } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { Temporal } from 'temporal-polyfill';
import { AppConfig } from '../config/app-config';
import { UsersService } from '../host/users/users.service';
import { normalizeAccountEmail } from '../host/users/user.entity';
import { WorkspacesService } from '../host/workspaces/workspaces.service';
import { PersonioSetupService } from '../integrations/personio/setup/personio-setup.service';
import { PersonioCredentialService } from '../integrations/personio/credentials/personio-credential.service';
import { PersonioIntegrationStateService } from '../integrations/personio/personio-integration-state.service';
import { SyncAlreadyRunningError, SyncClaimsService } from '../integrations/personio/sync/sync-claims.service';
import { PersonioWebhookSubscriptionService } from '../integrations/personio/webhooks/personio-webhook-subscription.service';
import { DEMO_ADMIN, DEMO_COMPANY_NAME, DEMO_CREDENTIALS, DEMO_TIME_ZONE, DemoUser } from './demo-company';
import { DemoMarker, demoMarkerPath, readDemoMarker, writeDemoMarker } from './demo-marker';
import { nextStepsText } from './demo-next-steps';

export interface DemoSeedOptions {
  aworkUsers: DemoUser[];
  logger: LoggerService;
  /** Where the next-steps text goes; it bypasses the redacting logger because the token is the point. */
  print: (text: string) => void;
}

/**
 * After the app listens: makes sure the demo workspace exists, has its users and is connected to the
 * simulator, each step only if it is missing. The marker in DATA_DIR is written right after the
 * workspace is created, so an interrupted first start never leads to a second workspace.
 */
export async function ensureDemoWorkspace(
  app: INestApplication,
  config: AppConfig,
  options: DemoSeedOptions,
): Promise<DemoMarker> {
  const markerPath = demoMarkerPath(config.dataDir);
  const workspaces = app.get(WorkspacesService, { strict: false });
  const users = app.get(UsersService, { strict: false });
  const setup = app.get(PersonioSetupService, { strict: false });
  const claims = app.get(SyncClaimsService, { strict: false });

  let marker = readDemoMarker(markerPath);
  if (marker && !(await workspaceExists(workspaces, marker.workspaceId))) marker = undefined;
  if (!marker) {
    const workspace = await workspaces.create({
      name: DEMO_COMPANY_NAME,
      plan: 'business',
      timeZone: DEMO_TIME_ZONE,
      admin: { ...DEMO_ADMIN },
    });
    marker = {
      workspaceId: workspace.id,
      adminEmail: workspace.admin.email,
      adminToken: workspace.admin.token,
      createdAt: new Date().toISOString(),
    };
    writeDemoMarker(markerPath, marker);
    options.logger.log(`workspace=${workspace.id} demo workspace created`, 'Demo');
  }
  const workspaceId = marker.workspaceId;

  const created = await ensureUsers(users, workspaceId, options.aworkUsers);
  if (created > 0) options.logger.log(`workspace=${workspaceId} demo users created=${created}`, 'Demo');

  if (!(await isConnected(setup, workspaceId))) {
    await setup.connect(workspaceId, {
      clientId: DEMO_CREDENTIALS.clientId,
      clientSecret: DEMO_CREDENTIALS.clientSecret,
      hideAbsenceDetails: false,
    });
    await claims.whenIdle(workspaceId);
  } else await resubscribe(app, workspaceId, options.logger);

  if (marker.nextStepsPrintedAt) {
    options.logger.log(`workspace=${workspaceId} demo workspace reused; its admin token is in ${markerPath}`, 'Demo');
    return marker;
  }
  const status = await setup.status(workspaceId);
  const today = Temporal.Now.plainDateISO(DEMO_TIME_ZONE);
  options.print(
    nextStepsText({
      baseUrl: `http://localhost:${(app.getHttpServer().address() as AddressInfo).port}`,
      adminToken: marker.adminToken,
      markerPath,
      today: today.toString(),
      inAMonth: today.add({ days: 30 }).toString(),
      lastRun: status.lastRun,
    }),
  );
  marker = { ...marker, nextStepsPrintedAt: new Date().toISOString() };
  writeDemoMarker(markerPath, marker);
  return marker;
}

async function workspaceExists(workspaces: WorkspacesService, id: string): Promise<boolean> {
  try {
    await workspaces.get(id);
    return true;
  } catch (error) {
    if (error instanceof NotFoundException) return false;
    throw error;
  }
}

/**
 * A restarted demo listens on a new port and its in-memory simulator has no subscriptions: the
 * subscription is checked (and made again) now, as a full sync would, not at the next full sync.
 */
async function resubscribe(app: INestApplication, workspaceId: string, logger: LoggerService): Promise<void> {
  const state = app.get(PersonioIntegrationStateService, { strict: false });
  const credentials = app.get(PersonioCredentialService, { strict: false });
  const subscriptions = app.get(PersonioWebhookSubscriptionService, { strict: false });
  try {
    await app.get(SyncClaimsService, { strict: false }).withNewClaim(workspaceId, async () => {
      const integration = await state.find(workspaceId);
      if (integration) await subscriptions.ensure(integration, credentials.credentialsOf(integration));
    });
  } catch (error) {
    // A sync that holds the workspace checks the subscription itself.
    if (!(error instanceof SyncAlreadyRunningError))
      logger.warn(
        `workspace=${workspaceId} demo webhook subscription not checked: ${(error as Error).message}`,
        'Demo',
      );
  }
}

async function isConnected(setup: PersonioSetupService, workspaceId: string): Promise<boolean> {
  try {
    await setup.status(workspaceId);
    return true;
  } catch (error) {
    if (error instanceof NotFoundException) return false;
    throw error;
  }
}

async function ensureUsers(users: UsersService, workspaceId: string, wanted: DemoUser[]): Promise<number> {
  const existing = new Set((await users.list(workspaceId)).map((user) => normalizeAccountEmail(user.email)));
  let created = 0;
  for (const user of wanted) {
    if (existing.has(normalizeAccountEmail(user.email))) continue;
    await users.create(workspaceId, { ...user, role: 'member' });
    existing.add(normalizeAccountEmail(user.email));
    created++;
  }
  return created;
}
