import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate, IsNotBefore } from '../../../common/validation';
import { ABSENCE_DESCRIPTION_MAX_LENGTH } from '../absence.entity';

export class CreateAbsenceDto {
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;

  @IsCalendarDate()
  startOn: string;

  @IsCalendarDate()
  @IsNotBefore('startOn')
  endOn: string;

  @IsOptional()
  @IsBoolean()
  isHalfDayOnStart?: boolean;

  @IsOptional()
  @IsBoolean()
  isHalfDayOnEnd?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(ABSENCE_DESCRIPTION_MAX_LENGTH)
  description?: string | null;
}

/** Every field of a manual absence except its owner may change; each is optional. */
export class UpdateAbsenceDto extends PartialType(OmitType(CreateAbsenceDto, ['userId'] as const)) {}

export class ListAbsencesQuery {
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId?: string;

  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore('from')
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize?: number;
}

export interface AbsenceView {
  id: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean;
  isHalfDayOnEnd: boolean;
  description: string | null;
  externalProvider: string | null;
  externalId: string | null;
  isReadOnly: boolean;
  createdOn: string;
  updatedOn: string;
}
