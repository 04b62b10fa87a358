import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate, IsNotBefore, OptionalNotNull } from '../../../common/validation';
import { ABSENCE_DESCRIPTION_MAX_LENGTH } from '../absence.entity';

const HALF_DAY_ON_START =
  'Multi-day absence: it starts at midday of the first day. Single-day absence: the first half of the workday (morning) only. Not together with isHalfDayOnEnd on a single day.';
const HALF_DAY_ON_END =
  'Multi-day absence: it ends at midday of the last day. Single-day absence: the second half of the workday (afternoon) only. Not together with isHalfDayOnStart on a single day.';

// The rules of each field, shared by create and update (where every field is optional).
const StartOnRules = () => applyDecorators(IsCalendarDate());
const EndOnRules = () => applyDecorators(IsCalendarDate(), IsNotBefore('startOn'));
const HalfDayRules = () => applyDecorators(OptionalNotNull(), IsBoolean());
const DescriptionRules = () => applyDecorators(IsOptional(), IsString(), MaxLength(ABSENCE_DESCRIPTION_MAX_LENGTH));

export class CreateAbsenceDto {
  @ApiProperty({ format: 'uuid', example: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;

  @ApiProperty({ format: 'date', example: '2026-08-03' })
  @StartOnRules()
  startOn: string;

  @ApiProperty({ format: 'date', example: '2026-08-07', description: 'Inclusive; not before startOn' })
  @EndOnRules()
  endOn: string;

  @ApiPropertyOptional({ default: false, description: HALF_DAY_ON_START })
  @HalfDayRules()
  isHalfDayOnStart?: boolean;

  @ApiPropertyOptional({ default: false, description: HALF_DAY_ON_END })
  @HalfDayRules()
  isHalfDayOnEnd?: boolean;

  @ApiPropertyOptional({ example: 'Dentist', maxLength: ABSENCE_DESCRIPTION_MAX_LENGTH, nullable: true })
  @DescriptionRules()
  description?: string | null;
}

/** Every field of a manual absence except its owner may change; null clears only the description. */
export class UpdateAbsenceDto {
  @ApiPropertyOptional({ format: 'date', example: '2026-08-03' })
  @OptionalNotNull()
  @StartOnRules()
  startOn?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-08-07', description: 'Inclusive; not before startOn' })
  @OptionalNotNull()
  @EndOnRules()
  endOn?: string;

  @ApiPropertyOptional({ description: HALF_DAY_ON_START })
  @HalfDayRules()
  isHalfDayOnStart?: boolean;

  @ApiPropertyOptional({ description: HALF_DAY_ON_END })
  @HalfDayRules()
  isHalfDayOnEnd?: boolean;

  @ApiPropertyOptional({ example: 'Dentist', maxLength: ABSENCE_DESCRIPTION_MAX_LENGTH, nullable: true })
  @DescriptionRules()
  description?: string | null;
}

/** (page − 1) × pageSize stays far below 2^31, the offset every database takes. */
export const MAX_ABSENCE_PAGE = 1_000_000;

export class ListAbsencesQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Admins: any user of the workspace; members: only their own id (403)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-07-01', description: 'Absences ending on or after this day' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-07-31',
    description: 'Absences starting on or before this day',
  })
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore('from')
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ABSENCE_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ABSENCE_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize?: number;
}

/** Absence JSON as in awork's public API. */
export class AbsenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'date', example: '2026-08-03' }) startOn: string;
  @ApiProperty({ format: 'date', example: '2026-08-07' }) endOn: string;
  @ApiProperty({ description: HALF_DAY_ON_START }) isHalfDayOnStart: boolean;
  @ApiProperty({ description: HALF_DAY_ON_END }) isHalfDayOnEnd: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'Paid vacation: Family trip' }) description: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'personio',
    description: 'Set = source-locked (read-only in awork)',
  })
  externalProvider: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'abc6fa09-d8fe-4de0-be03-f0a1d48df766' }) externalId:
    string | null;
  @ApiProperty() isReadOnly: boolean;
  @ApiProperty({ format: 'date-time' }) createdOn: string;
  @ApiProperty({ format: 'date-time' }) updatedOn: string;
}
