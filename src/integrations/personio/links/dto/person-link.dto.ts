import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class PutPersonLinkDto {
  @ApiProperty({
    format: 'uuid',
    example: '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5',
    description: 'The awork user (of this workspace) who is this Personio person',
  })
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId: string;
}

export class PersonLinkView {
  @ApiProperty({ example: '3003' }) personioPersonId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}
