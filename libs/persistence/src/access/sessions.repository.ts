import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { ApiToken } from './tokens.repository';
import { tokenFromRow, TokenRow } from './tokens.repository';

/**
 * Sessions of the review console (decision 0046): a browser signs in once with its bearer token
 * and every tab then sends the session cookie. The cookie's value is 256 random bits; only its
 * SHA-256 is stored, so the table read by someone else signs nobody in. A session is live while
 * it is neither ended nor expired and its token is live: revoking or expiring the token ends its
 * sessions from the next request on, without a write here.
 */
export interface ApiSession {
  id: string;
  tokenId: string;
  createdAt: string;
  expiresAt: string;
}

interface SessionRow {
  id: string;
  token_id: string;
  created_at: Date;
  expires_at: Date;
}

const SESSION_PREFIX = 'ams_';
const SESSION_SECRET = /^ams_[A-Za-z0-9_-]{43}$/;

const sessionFromRow = (row: SessionRow): ApiSession => ({
  id: row.id,
  tokenId: row.token_id,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
});

export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The session's CSRF token, derived from its secret, so a second tab can be given it again
 * (GET /api/v1/session) without the table holding anything that signs a request. A page of
 * another site can neither read the cookie nor the answer that carries this token.
 */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('abuse-monitor csrf v1').digest('base64url');
}

export class SessionsRepository {
  /**
   * A new session for a live token, ending when `expiresAt` comes (never after the token's own
   * expiry), or null when the token died meanwhile. A token keeps at most `maxLive` live sessions:
   * the oldest beyond that are ended, so a leaked token cannot mint sessions without bound.
   */
  async create(
    token: ApiToken,
    limits: { lifetimeMs: number; maxLive: number },
    manager: EntityManager,
  ): Promise<{ session: ApiSession; secret: string; ended: number } | null> {
    const secret = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const rows: SessionRow[] = await manager.query(
      `INSERT INTO api_sessions (id, token_id, session_hash, expires_at)
       SELECT $1, t.id, $3, LEAST(now() + make_interval(secs => $4::double precision / 1000),
                                  COALESCE(t.expires_at, 'infinity'))
         FROM api_tokens t
        WHERE t.id = $2 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
       RETURNING id, token_id, created_at, expires_at`,
      [randomUUID(), token.id, hashSessionSecret(secret), limits.lifetimeMs],
    );
    if (rows.length === 0) return null;
    const [, ended]: [unknown, number] = await manager.query(
      `UPDATE api_sessions SET ended_at = now(), ended_by = 'session limit'
        WHERE id IN (SELECT id FROM api_sessions
                      WHERE token_id = $1 AND ended_at IS NULL AND expires_at > now()
                      ORDER BY created_at DESC, id OFFSET $2)`,
      [token.id, limits.maxLive],
    );
    return { session: sessionFromRow(rows[0]), secret, ended };
  }

  /**
   * The live session with this secret and its live token, or null; records when it was last seen
   * (to the minute), like the token's own last use. A session unused for `idleMs` has ended: a
   * console left open on an unattended desk does not stay signed in for the whole lifetime.
   */
  async authenticate(
    secret: string,
    idleMs: number,
    manager: EntityManager,
  ): Promise<{ session: ApiSession; token: ApiToken } | null> {
    if (!SESSION_SECRET.test(secret)) return null;
    const rows: (TokenRow & {
      session_id: string;
      session_created_at: Date;
      session_expires_at: Date;
      session_seen_at: Date;
    })[] = await manager.query(
      `SELECT t.*, s.id AS session_id, s.created_at AS session_created_at, s.expires_at AS session_expires_at,
                s.last_seen_at AS session_seen_at
           FROM api_sessions s JOIN api_tokens t ON t.id = s.token_id
          WHERE s.session_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
            AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
      [hashSessionSecret(secret), idleMs],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    if (Date.now() - row.session_seen_at.getTime() > 60_000) {
      await manager.query(`UPDATE api_sessions SET last_seen_at = now() WHERE id = $1`, [row.session_id]);
      await manager.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.id]);
    }
    return {
      session: {
        id: row.session_id,
        tokenId: row.id,
        createdAt: row.session_created_at.toISOString(),
        expiresAt: row.session_expires_at.toISOString(),
      },
      token: tokenFromRow(row),
    };
  }

  /** Ends one session; false when it had already ended. */
  async end(sessionId: string, endedBy: string, manager: EntityManager): Promise<boolean> {
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE api_sessions SET ended_at = now(), ended_by = $2 WHERE id = $1 AND ended_at IS NULL`,
      [sessionId, endedBy],
    );
    return affected > 0;
  }

  /** Ends every session of a token ("sign out everywhere", revocation); how many were live. */
  async endAllOf(tokenId: string, endedBy: string, manager: EntityManager): Promise<number> {
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE api_sessions SET ended_at = now(), ended_by = $2
        WHERE token_id = $1 AND ended_at IS NULL AND expires_at > now()`,
      [tokenId, endedBy],
    );
    return affected;
  }

  /**
   * The hashes of the live sessions (of live tokens), at most `limit`: an address past its refused
   * attempts is answered from this set, so colleagues' console sessions behind the same address
   * as an attacker keep working (see LiveTokenHashes).
   */
  async liveHashes(limit: number, manager: EntityManager): Promise<string[]> {
    const rows: { session_hash: string }[] = await manager.query(
      `SELECT s.session_hash FROM api_sessions s JOIN api_tokens t ON t.id = s.token_id
        WHERE s.ended_at IS NULL AND s.expires_at > now()
          AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.session_hash);
  }

  /** Deletes up to `limit` sessions that ended or expired before `cutoff`; how many. */
  async forgetEndedBefore(cutoff: Date, limit: number, manager: EntityManager): Promise<number> {
    const [, deleted]: [unknown, number] = await manager.query(
      `DELETE FROM api_sessions WHERE id IN (
         SELECT id FROM api_sessions
          WHERE LEAST(expires_at, COALESCE(ended_at, 'infinity')) < $1
          LIMIT $2)`,
      [cutoff, limit],
    );
    return deleted;
  }
}
