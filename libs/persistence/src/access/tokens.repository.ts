import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Role } from '@abuse-monitor/domain';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  /** Null: valid until revoked. */
  expiresAt: string | null;
}

export interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
  expires_at: Date | null;
}

const TOKEN_PREFIX = 'amt_';
/** A token that may be used now: an expired token is refused exactly like a revoked one. */
const LIVE = `revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function tokenFromRow(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
    lastUsedAt: iso(row.last_used_at),
    expiresAt: iso(row.expires_at),
  };
}

/** Tokens are 256 random bits, so a fast hash is enough: there is nothing to guess from it. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export class TokenNameTaken extends Error {
  constructor(readonly tokenName: string) {
    super(
      `a token named "${tokenName}" exists or existed; names are never reused, so the audit log keeps one person per name`,
    );
  }
}

/** Bearer tokens of the API. The secret is shown once, when created; only its hash is stored. */
@Injectable()
export class TokensRepository {
  async create(
    input: { name: string; role: Role; createdBy: string; expiresAt?: Date | null },
    manager: EntityManager,
  ): Promise<{ token: ApiToken; secret: string }> {
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const rows: TokenRow[] = await manager.query(
      `INSERT INTO api_tokens (id, name, role, token_hash, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO NOTHING
       RETURNING *`,
      [randomUUID(), input.name, input.role, hashToken(secret), input.createdBy, input.expiresAt ?? null],
    );
    if (rows.length === 0) throw new TokenNameTaken(input.name);
    return { token: tokenFromRow(rows[0]), secret };
  }

  /**
   * The live (neither revoked nor expired) token with this secret, or null; records when it was
   * last used (to the minute).
   */
  async authenticate(secret: string, manager: EntityManager): Promise<ApiToken | null> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null;
    const rows: TokenRow[] = await manager.query(
      `SELECT * FROM api_tokens WHERE token_hash = $1 AND ${LIVE}`,
      [hashToken(secret)],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
      await manager.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.id]);
    }
    return tokenFromRow(row);
  }

  async list(manager: EntityManager): Promise<ApiToken[]> {
    const rows: TokenRow[] = await manager.query(`SELECT * FROM api_tokens ORDER BY created_at, id`);
    return rows.map(tokenFromRow);
  }

  /** Hashes of every live token, for refusing unknown ones without a lookup each (see AuthGuard). */
  async liveHashes(manager: EntityManager): Promise<string[]> {
    const rows: { token_hash: string }[] = await manager.query(
      `SELECT token_hash FROM api_tokens WHERE ${LIVE}`,
    );
    return rows.map((row) => row.token_hash);
  }

  /** The live token of the person of that name (names are unique for ever). */
  async liveByName(name: string, manager: EntityManager): Promise<ApiToken | null> {
    const rows: TokenRow[] = await manager.query(`SELECT * FROM api_tokens WHERE name = $1 AND ${LIVE}`, [
      name,
    ]);
    return rows.length ? tokenFromRow(rows[0]) : null;
  }

  async find(id: string, manager: EntityManager): Promise<ApiToken | null> {
    const rows: TokenRow[] = await manager.query(`SELECT * FROM api_tokens WHERE id = $1`, [id]);
    return rows.length ? tokenFromRow(rows[0]) : null;
  }

  /** The token of that name, live or not. */
  async byName(name: string, manager: EntityManager): Promise<ApiToken | null> {
    const rows: TokenRow[] = await manager.query(`SELECT * FROM api_tokens WHERE name = $1`, [name]);
    return rows.length ? tokenFromRow(rows[0]) : null;
  }

  /** Revokes a live token; returns it as it is now, or null when there is no such live token. */
  async revoke(id: string, revokedBy: string, manager: EntityManager): Promise<ApiToken | null> {
    // TypeORM answers an UPDATE with [rows, affected count], not the rows alone.
    const [rows]: [TokenRow[], number] = await manager.query(
      `UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
      [id, revokedBy],
    );
    if (rows.length === 0) return null;
    // Sessions die with their token anyway (SessionsRepository.authenticate); ending them says when and by whom.
    await manager.query(
      `UPDATE api_sessions SET ended_at = now(), ended_by = $2 WHERE token_id = $1 AND ended_at IS NULL`,
      [id, revokedBy],
    );
    return tokenFromRow(rows[0]);
  }
}
