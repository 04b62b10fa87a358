import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** A notification to the workspace's admins (the stand-in for awork's notification centre). */
export class AdminNotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    example: 'personio.needs_reauth',
    description:
      'What it is about: `personio.needs_reauth`, `personio.failing` (3 full syncs failed in a row), `personio.recovered`',
  })
  kind: string;
  @ApiProperty({ example: 'Personio sync stopped: the credentials were rejected' }) title: string;
  @ApiProperty({ description: 'What happened and what to do' }) message: string;
  @ApiProperty({ format: 'date-time' }) createdOn: string;
}
