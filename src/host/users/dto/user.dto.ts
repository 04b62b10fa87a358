import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalNotNull, Trim } from '../../../common/validation';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Role, ROLES } from '../user.entity';

export class CreateUserDto {
  @ApiProperty({
    example: 'jen.doe@example.com',
    description: 'Account e-mail, unique in the workspace (case-insensitive); matched to Personio persons',
  })
  @Trim()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Jen Doe' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: ROLES, default: 'member' })
  @OptionalNotNull()
  @IsIn(ROLES)
  role?: Role;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Jen Doe-Smith' })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @OptionalNotNull()
  @IsIn(ROLES)
  role?: Role;
}

/** As in awork, only the owner of an account may change its e-mail. */
export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'jen.doe@example.com' })
  @OptionalNotNull()
  @Trim()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: 'Jen Doe' })
  @OptionalNotNull()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
}
