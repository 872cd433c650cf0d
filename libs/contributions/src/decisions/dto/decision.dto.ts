import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { ProposalDecision } from '../../proposal.entity';

/** The decisions organisers take quietly: names of state-machine transitions. */
export const PROPOSAL_DECISIONS: readonly ProposalDecision[] = [
  'accept',
  'keep_as_backup',
  'reject',
];

/** An organiser sets (or clears, with null) the pending decision of one proposal. */
export class SetDecisionDto {
  @ApiProperty({
    enum: PROPOSAL_DECISIONS,
    nullable: true,
    description: 'The decision to release later; null clears it',
  })
  @ValidateIf((dto: SetDecisionDto) => dto.decision !== null)
  @IsIn(PROPOSAL_DECISIONS, { message: 'decision must be accept, reject, keep_as_backup or null' })
  decision!: ProposalDecision | null;

  @ApiPropertyOptional({
    description: 'Words to the contributor, sent with the decision (plain text); absent keeps it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

/** One line of a batch of decisions. */
export class BatchDecisionItemDto extends SetDecisionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  proposalId!: string;
}

/** Several pending decisions set at once, all or none. */
export class BatchDecisionsDto {
  @ApiProperty({ type: [BatchDecisionItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => BatchDecisionItemDto)
  decisions!: BatchDecisionItemDto[];
}
