import { ApiProperty } from '@nestjs/swagger';

export class AbsenceTypeView {
  @ApiProperty({ example: 'f8228cda-5615-4e81-8cba-21fa5e996291' }) id: string;
  @ApiProperty({ example: 'Home office' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'OFFSITE_WORK' }) category: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'HOUR' }) unit: string | null;
  @ApiProperty({
    description:
      'false when the admin excluded this type (PATCH /integrations/personio {excludedAbsenceTypeIds}): its absences are not transferred',
  })
  transferred: boolean;
}
