import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsIanaTimeZone, OptionalNotNull, Trim } from '../../../common/validation';
import { CreateUserDto } from '../../users/dto/user.dto';
import { Plan, PLANS } from '../workspace.entity';

/** The workspace's first admin: the same rules as any new user. */
export class WorkspaceAdminInput extends PickType(CreateUserDto, ['email', 'name'] as const) {}

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme GmbH' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: PLANS, example: 'business' })
  @IsIn(PLANS)
  plan: Plan;

  @ApiProperty({
    example: 'Europe/Berlin',
    description: 'IANA time zone: "today" for the sync window is the local date here',
  })
  @IsIanaTimeZone()
  timeZone: string;

  @ApiProperty({ type: () => WorkspaceAdminInput })
  // ValidateNested alone lets a missing admin through and checks an array's items instead.
  @IsObject({ message: 'admin must be an object with email and name' })
  @ValidateNested()
  @Type(() => WorkspaceAdminInput)
  admin: WorkspaceAdminInput;
}

export class UpdateWorkspaceDto {
  @ApiPropertyOptional({ enum: PLANS, example: 'enterprise' })
  @OptionalNotNull()
  @IsIn(PLANS)
  plan?: Plan;

  @ApiPropertyOptional({ example: 'Pacific/Kiritimati' })
  @OptionalNotNull()
  @IsIanaTimeZone()
  timeZone?: string;
}
