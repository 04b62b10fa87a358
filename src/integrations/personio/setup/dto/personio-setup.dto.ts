import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { OptionalNotNull, Trim } from '../../../../common/validation';
import type { IntegrationStatus, WebhookState } from '../../personio-integration.entity';
import { SyncRunView } from '../../sync/sync-run.view';
import type { MatchedBy, StaleLinkReason, UnmatchedPersonReason } from '../../matching/match-by-email';

export class ConnectPersonioDto {
  @ApiProperty({ example: 'papi-4f1c2d3e-client-id' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  clientId: string;

  @ApiProperty({ example: 'papi-secret-from-personio', writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  clientSecret: string;

  @ApiPropertyOptional({
    default: false,
    description: 'When on, neither the absence type nor the comment is transferred',
  })
  @OptionalNotNull()
  @IsBoolean()
  hideAbsenceDetails?: boolean;
}

/** At most this many excluded absence types (a company has a few dozen). */
export const MAX_EXCLUDED_ABSENCE_TYPES = 500;

/** Give one setting or both; a changed absence-type choice starts a sync at once. */
export class UpdatePersonioDto {
  @ApiPropertyOptional({
    example: true,
    description: 'When on, neither the absence type nor the comment is transferred',
  })
  @OptionalNotNull()
  @IsBoolean()
  hideAbsenceDetails?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['type-home'],
    maxItems: MAX_EXCLUDED_ABSENCE_TYPES,
    description:
      'Personio absence type ids (see GET /integrations/personio/absence-types) whose absences are not transferred; copies transferred earlier are removed by the sync this starts. Replaces the earlier choice; [] transfers every type (the default).',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_EXCLUDED_ABSENCE_TYPES)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  excludedAbsenceTypeIds?: string[];
}

export class DisconnectPersonioQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'true: the transferred absences become ordinary manual absences (editable, no Personio mark, externalId cleared) instead of being deleted',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'keepAbsences must be true or false' })
  keepAbsences?: 'true' | 'false';
}

export class ListRunsQuery {
  @ApiPropertyOptional({ default: 20, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class WebhooksStatusView {
  @ApiProperty({
    enum: ['active', 'unavailable', 'off'],
    description: '`off`: PUBLIC_BASE_URL is not set on this deployment; `unavailable`: subscribing failed (see reason)',
  })
  state: WebhookState;
  @ApiProperty({ type: String, nullable: true, example: null }) reason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the newest event was received' })
  lastEventAt: string | null;
}

export class PersonioStatusView {
  @ApiProperty({ enum: [true] }) connected: true;
  @ApiProperty({ example: 'papi-4f1c2d3e-client-id' }) clientId: string;
  @ApiProperty({ description: 'Whether a secret is stored; the secret itself is never returned' })
  hasClientSecret: boolean;
  @ApiProperty() hideAbsenceDetails: boolean;
  @ApiProperty({
    type: [String],
    example: [],
    description: 'Personio absence type ids not transferred; [] (the default) transfers every type',
  })
  excludedAbsenceTypeIds: string[];
  @ApiProperty({ enum: ['active', 'needs_reauth', 'failing', 'plan_inactive'] }) status: IntegrationStatus;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({
    type: SyncRunView,
    nullable: true,
    description: 'The newest full run from the moment it starts: while it runs, `status: running` with its `progress`',
  })
  lastRun: SyncRunView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRunAt: string | null;
  @ApiProperty({ type: WebhooksStatusView }) webhooks: WebhooksStatusView;
}

class MatchedUserView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'jen.doe@example.com', description: 'The awork account e-mail' }) email: string;
  @ApiProperty({ example: '3003' }) personioPersonId: string;
  @ApiProperty({ example: 'Jen Doe' }) name: string;
  @ApiProperty({
    enum: ['email', 'link'],
    description: '`link`: an admin linked the two by hand (PUT /integrations/personio/links/{personioPersonId})',
  })
  matchedBy: MatchedBy;
}

class UnmatchedPersonioPersonView {
  @ApiProperty({ example: '3004' }) personioPersonId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Max.Muster@example.com' }) email: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Max Muster' }) name: string | null;
  @ApiProperty({
    enum: ['no_email', 'no_awork_user', 'duplicate_email', 'linked_to_other_person'],
    description:
      '`linked_to_other_person`: the awork user with this e-mail is linked by hand to another Personio person',
  })
  reason: UnmatchedPersonReason;
}

class StaleLinkView {
  @ApiProperty({ example: '3005' }) personioPersonId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({
    enum: ['person_not_in_personio', 'user_not_in_workspace'],
    description: 'The link pairs nobody: delete it, or link the user to the person who replaced it',
  })
  reason: StaleLinkReason;
}

class UnmatchedAworkUserView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'lonely@example.com' }) email: string;
  @ApiProperty({ example: 'Lonely User' }) name: string;
}

/** Users report: who is matched (by manual link or account e-mail), who is not on either side, and links that pair nobody. */
export class UsersReportView {
  @ApiProperty({ type: [MatchedUserView] }) matched: MatchedUserView[];
  @ApiProperty({ type: [UnmatchedPersonioPersonView] }) unmatchedPersonio: UnmatchedPersonioPersonView[];
  @ApiProperty({ type: [UnmatchedAworkUserView] }) unmatchedAwork: UnmatchedAworkUserView[];
  @ApiProperty({ type: [StaleLinkView] }) staleLinks: StaleLinkView[];
}
