import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull, Trim } from '../../../../common/validation';
import type { IntegrationStatus, WebhookState } from '../../personio-integration.entity';
import { SyncRunView } from '../../sync/sync-run.view';

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

export class UpdatePersonioDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  hideAbsenceDetails: boolean;
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
  @ApiProperty({ example: 'jen.doe@example.com' }) email: string;
  @ApiProperty({ example: '3003' }) personioPersonId: string;
  @ApiProperty({ example: 'Jen Doe' }) name: string;
}

class UnmatchedPersonioPersonView {
  @ApiProperty({ example: '3004' }) personioPersonId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Max.Muster@example.com' }) email: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Max Muster' }) name: string | null;
  @ApiProperty({ enum: ['no_email', 'no_awork_user', 'duplicate_email'] }) reason:
    'no_email' | 'no_awork_user' | 'duplicate_email';
}

class UnmatchedAworkUserView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'lonely@example.com' }) email: string;
  @ApiProperty({ example: 'Lonely User' }) name: string;
}

/** Users report: who is matched by account e-mail, and who is not on either side. */
export class UsersReportView {
  @ApiProperty({ type: [MatchedUserView] }) matched: MatchedUserView[];
  @ApiProperty({ type: [UnmatchedPersonioPersonView] }) unmatchedPersonio: UnmatchedPersonioPersonView[];
  @ApiProperty({ type: [UnmatchedAworkUserView] }) unmatchedAwork: UnmatchedAworkUserView[];
}
