import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsUUID } from 'class-validator';

/** Ids one resolve request may name (the all-or-nothing delete runs in one transaction). */
export const MAX_RESOLVE_IDS = 1000;

export class ResolveDuplicatesDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_RESOLVE_IDS,
    description: 'Ids of manual absences listed by GET …/duplicates; all are deleted, or none',
    example: ['1b4e28ba-2fa1-41d2-883f-0016d3cca427'],
  })
  @IsArray({ message: 'absenceIds must be an array of absence ids' })
  @ArrayNotEmpty({ message: 'absenceIds must not be empty' })
  @ArrayMaxSize(MAX_RESOLVE_IDS, { message: `absenceIds must not name more than ${MAX_RESOLVE_IDS} ids` })
  @IsUUID('all', { each: true, message: 'each value in absenceIds must be a UUID' })
  absenceIds: string[];
}

export class ManualAbsenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'date', example: '2026-08-03' }) startOn: string;
  @ApiProperty({ format: 'date', example: '2026-08-07' }) endOn: string;
  @ApiProperty() isHalfDayOnStart: boolean;
  @ApiProperty() isHalfDayOnEnd: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'Holiday' }) description: string | null;
}

export class TransferredAbsenceView extends ManualAbsenceView {
  @ApiProperty({ example: 'abc6fa09-d8fe-4de0-be03-f0a1d48df766', description: 'The Personio absence period id' })
  externalId: string;
}

/** A manual absence that a transferred Personio absence of the same user duplicates. */
export class DuplicateAbsenceView {
  @ApiProperty({ type: ManualAbsenceView, description: 'The manual absence (what resolve deletes)' })
  manual: ManualAbsenceView;
  @ApiProperty({
    type: TransferredAbsenceView,
    description: 'The transferred absence it overlaps (the earliest, when it overlaps several)',
  })
  transferred: TransferredAbsenceView;
}

export class ResolvedDuplicatesView {
  @ApiProperty({ example: 2 }) deleted: number;
  @ApiProperty({ type: [String], format: 'uuid' }) absenceIds: string[];
}
