import { PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsIanaTimeZone } from '../../../common/validation';
import { CreateUserDto } from '../../users/dto/user.dto';
import { Plan, PLANS } from '../workspace.entity';

/** The workspace's first admin: the same rules as any new user. */
export class WorkspaceAdminInput extends PickType(CreateUserDto, ['email', 'name'] as const) {}

export class CreateWorkspaceDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsIn(PLANS)
  plan: Plan;

  @IsIanaTimeZone()
  timeZone: string;

  @ValidateNested()
  @Type(() => WorkspaceAdminInput)
  admin: WorkspaceAdminInput;
}

export class UpdateWorkspaceDto {
  @IsOptional()
  @IsIn(PLANS)
  plan?: Plan;

  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;
}
