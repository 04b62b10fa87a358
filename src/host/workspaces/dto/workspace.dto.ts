import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsIanaTimeZone, Trim } from '../../../common/validation';
import { Plan, PLANS } from '../workspace.entity';

export class WorkspaceAdminInput {
  @Trim()
  @IsEmail({}, { message: 'admin.email must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

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
