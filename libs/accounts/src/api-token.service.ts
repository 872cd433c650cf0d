import { hashSecret, newSecret, NotFoundError } from '@assises/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ApiToken } from './api-token.entity';
import { API_TOKEN_PREFIX } from './auth.service';

export interface CreatedApiToken {
  token: ApiToken;
  /** Shown once; only its hash is kept. */
  secret: string;
}

/**
 * API tokens. Accounts knows no edition: the caller (the editions lib) checks that the
 * account holds the role it grants in that edition.
 */
@Injectable()
export class ApiTokenService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(
    accountId: string,
    editionId: string,
    role: string,
    label: string,
  ): Promise<CreatedApiToken> {
    const secret = `${API_TOKEN_PREFIX}${newSecret()}`;
    const token = await this.dataSource.manager.save(ApiToken, {
      accountId,
      editionId,
      role,
      label: label.trim(),
      tokenHash: hashSecret(secret),
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      lastUsedAt: null,
      revokedAt: null,
    });
    return { token, secret };
  }

  list(accountId: string): Promise<ApiToken[]> {
    return this.dataSource.manager.find(ApiToken, {
      where: { accountId },
      order: { createdAt: 'DESC' },
    });
  }

  async revoke(accountId: string, id: string): Promise<void> {
    const result = await this.dataSource.manager.update(
      ApiToken,
      { id, accountId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (!result.affected)
      throw new NotFoundError('api_token.not_found', 'No active token with this id');
  }
}
