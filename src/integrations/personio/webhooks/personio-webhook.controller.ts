import {
  BadRequestException,
  Controller,
  Headers,
  HttpCode,
  Param,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { Public } from '../../../host/auth';
import { PersonioWebhookReceiverService } from './personio-webhook-receiver.service';
import { parseWebhookEnvelope } from './webhook-envelope';
import { WebhookEventsProcessor } from './webhook-events.processor';
import { readRawBody } from './raw-body';

/** Personio's limit for us (PRODUCT.md §7); the global JSON parser leaves this route's body unread. */
export const WEBHOOK_BODY_LIMIT_BYTES = 65_536;

/**
 * Called by Personio, not by users: no bearer token; the subscription's token comes verbatim in
 * `Authorization`. Checked in this order: size (413), then token and workspace (401, one answer for
 * all), then the envelope (400). A valid event is stored and answered 202 at once.
 */
@ApiTags('integrations: personio')
@Public()
@Controller('integrations/personio/webhooks')
export class PersonioWebhookController {
  constructor(
    private readonly receiver: PersonioWebhookReceiverService,
    private readonly processor: WebhookEventsProcessor,
  ) {}

  @Post(':workspaceId')
  @HttpCode(202)
  @ApiBody({
    description: "Personio's webhook envelope (at most 65,536 bytes)",
    schema: {
      type: 'object',
      required: ['company_id', 'event_name', 'occurred_at', 'payload'],
      properties: {
        company_id: { type: 'string', example: 'company-1' },
        event_name: { type: 'string', example: 'absence-period.created' },
        occurred_at: { type: 'string', format: 'date-time' },
        payload: { type: 'object', example: { 'absence-period': { id: 'period-1' } } },
      },
    },
  })
  @ApiAcceptedResponse({ description: 'Stored; applied within seconds' })
  @ApiUnauthorizedResponse({
    description: 'Wrong or missing token, or an unknown, not connected or malformed workspace id',
  })
  @ApiBadRequestResponse({
    description: 'Not JSON, or not the envelope {company_id, event_name, occurred_at, payload}',
  })
  @ApiPayloadTooLargeResponse({ description: 'Body over 65,536 bytes' })
  async receive(
    @Req() req: IncomingMessage,
    @Param('workspaceId') workspaceId: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<{ accepted: true }> {
    const body = await readRawBody(req, WEBHOOK_BODY_LIMIT_BYTES);
    if (!(await this.receiver.authenticated(workspaceId, authorization))) throw new UnauthorizedException();
    const parsed = parseWebhookEnvelope(body.toString('utf8'));
    if (parsed.kind === 'invalid') throw new BadRequestException(parsed.reason);
    if (parsed.kind === 'event') {
      await this.receiver.store(workspaceId, parsed.event);
      this.processor.eventStored();
    }
    return { accepted: true };
  }
}
