import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Trim } from '../../../../common/validation';

export class ConnectPersonioDto {
  @ApiProperty({ example: 'papi-4f1c2d3e-client-id' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  clientId: string;

  @ApiProperty({ example: 'papi-secret-from-personio', writeOnly: true })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  clientSecret: string;

  @ApiPropertyOptional({ default: false, description: 'When on, neither the absence type nor the comment is transferred' })
  @IsOptional()
  @IsBoolean()
  hideAbsenceDetails?: boolean;
}

export class UpdatePersonioDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  hideAbsenceDetails: boolean;
}

export class ListRunsQuery {
  @ApiPropertyOptional({ default: 20, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
