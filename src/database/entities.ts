import { Absence } from '../host/absences/absence.entity';
import { AdminNotificationRecord } from '../host/notifications/admin-notification.entity';
import { ApiToken } from '../host/auth/api-token.entity';
import { User } from '../host/users/user.entity';
import { Workspace } from '../host/workspaces/workspace.entity';
import { PersonioIntegration } from '../integrations/personio/personio-integration.entity';
import { PersonioPersonMatch } from '../integrations/personio/matching/personio-person-match.entity';
import { PersonioPersonLink } from '../integrations/personio/matching/personio-person-link.entity';
import { SyncRun } from '../integrations/personio/sync/sync-run.entity';
import { PersonioWebhookEvent } from '../integrations/personio/webhooks/personio-webhook-event.entity';

export const ALL_ENTITIES = [
  Workspace,
  User,
  ApiToken,
  Absence,
  PersonioIntegration,
  SyncRun,
  PersonioWebhookEvent,
  PersonioPersonMatch,
  AdminNotificationRecord,
  PersonioPersonLink,
];
