import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Only the SHA-256 of a token is stored; the token itself is shown once, at creation. */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @CreateDateColumn({ name: 'created_on' })
  createdOn: Date;
}
