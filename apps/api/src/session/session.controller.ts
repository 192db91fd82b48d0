import { Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '@abuse-monitor/domain';
import {
  AuditLogRepository,
  csrfTokenOf,
  SessionsRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { principalOf } from '../auth/auth.guard';
import { clearSessionCookie, CSRF_HEADER, sessionCookieName, setSessionCookie } from '../auth/session-cookie';
import { defineEndpoint, Endpoint } from '../http/endpoint';
import { ApiProblem } from '../http/problem';
import { auditActor, contextOf } from '../http/request-context';

const sessionView = z.object({
  name: z.string().describe('as it appears in flag histories and the audit log'),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
  session: z
    .object({
      expiresAt: z.string().describe('ISO 8601 UTC; the session ends then, or sooner when its token dies'),
      csrfToken: z
        .string()
        .describe(`send it as ${CSRF_HEADER} with every POST, PATCH or DELETE signed in by the cookie`),
    })
    .nullable()
    .describe('null: the request was signed with a bearer token, not a session'),
});

const ended = z.object({
  sessionsEnded: z.number().int().describe('how many live sessions this ended'),
});

export const startSession = defineEndpoint({
  operationId: 'startSession',
  method: 'post',
  path: '/api/v1/session',
  tag: 'session',
  summary: 'Sign in: exchange the bearer token for a session cookie shared by the browser tabs',
  description:
    'Needs `Authorization: Bearer`. Sets an HttpOnly, SameSite=Strict session cookie (Secure and `__Host-` ' +
    'unless the API serves plain http) and answers the CSRF token that changes signed in by the cookie must ' +
    `carry in ${CSRF_HEADER}. The session acts with the token's name and role, ends at expiresAt, and ends at ` +
    'once when the token is revoked.',
  permission: 'console:sign-in',
  response: sessionView,
  status: 201,
});

export const getSession = defineEndpoint({
  operationId: 'getSession',
  method: 'get',
  path: '/api/v1/session',
  tag: 'session',
  summary: "This tab's session: who is signed in, until when, and its CSRF token",
  description:
    'A new tab of a signed-in browser calls it to learn who it is and to get the CSRF token; `session` is ' +
    'null for a request signed with a bearer token.',
  permission: 'console:sign-in',
  response: sessionView,
});

export const endSession = defineEndpoint({
  operationId: 'endSession',
  method: 'delete',
  path: '/api/v1/session',
  tag: 'session',
  summary: 'Sign out: end this session, in every tab that shares it',
  description:
    'Clears the cookie. Signed with a bearer token there is no session to end: sessionsEnded is 0.',
  permission: 'console:sign-in',
  response: ended,
});

export const endAllSessions = defineEndpoint({
  operationId: 'endAllSessions',
  method: 'delete',
  path: '/api/v1/sessions',
  tag: 'session',
  summary: "Sign out everywhere: end every session of the caller's token, in every browser",
  description: 'The token itself stays valid; revoking it (tokens API) also ends its sessions.',
  permission: 'console:sign-in',
  response: ended,
});

/** Sign-in across tabs (decision 0046): sessions issued for a bearer token. */
@Controller()
export class SessionController {
  private readonly cookie: { name: string; secure: boolean };

  constructor(
    private readonly transactions: Transactions,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditLogRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.cookie = {
      name: sessionCookieName(config.API_SESSION_COOKIE_SECURE),
      secure: config.API_SESSION_COOKIE_SECURE,
    };
  }

  @Endpoint(startSession)
  async start(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (contextOf(req).session)
      throw new ApiProblem('forbidden', 'sign in with the bearer token: a session cannot start another one');
    const token = principalOf(req);
    const actor = auditActor(req);
    const created = await this.transactions.run(async (manager) => {
      const made = await this.sessions.create(
        token,
        { lifetimeMs: this.config.API_SESSION_TTL, maxLive: this.config.API_SESSIONS_PER_TOKEN },
        manager,
      );
      if (!made) return null;
      await this.audit.append(
        { ...actor, sessionId: made.session.id },
        {
          action: 'token.sign_in',
          targetType: 'token',
          targetId: token.id,
          before: null,
          after: {
            sessionId: made.session.id,
            expiresAt: made.session.expiresAt,
            olderSessionsEnded: made.ended,
          },
        },
        manager,
      );
      return made;
    });
    // Revoked between the guard's check and this insert: the same answer as a revoked token.
    if (!created) throw new ApiProblem('unauthenticated', 'the token is unknown or revoked');
    const { session, secret } = created;
    setSessionCookie(res, this.cookie, secret);
    return this.view(req, session.expiresAt, secret);
  }

  @Endpoint(getSession)
  get(@Req() req: Request) {
    const session = contextOf(req).session;
    return this.view(req, session?.expiresAt ?? null, session?.secret ?? null);
  }

  @Endpoint(endSession)
  async end(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const session = contextOf(req).session;
    clearSessionCookie(res, this.cookie);
    if (!session) return { sessionsEnded: 0 };
    const token = principalOf(req);
    const actor = auditActor(req);
    const endedNow = await this.transactions.run(async (manager) => {
      const done = await this.sessions.end(session.id, token.name, manager);
      if (done)
        await this.audit.append(
          actor,
          {
            action: 'token.sign_out',
            targetType: 'token',
            targetId: token.id,
            before: { sessionId: session.id },
            after: null,
          },
          manager,
        );
      return done;
    });
    return { sessionsEnded: endedNow ? 1 : 0 };
  }

  @Endpoint(endAllSessions)
  async endAll(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = principalOf(req);
    const actor = auditActor(req);
    const count = await this.transactions.run(async (manager) => {
      const n = await this.sessions.endAllOf(token.id, token.name, manager);
      await this.audit.append(
        actor,
        {
          action: 'token.sign_out_everywhere',
          targetType: 'token',
          targetId: token.id,
          before: null,
          after: { sessionsEnded: n },
        },
        manager,
      );
      return n;
    });
    if (contextOf(req).session) clearSessionCookie(res, this.cookie);
    return { sessionsEnded: count };
  }

  private view(req: Request, expiresAt: string | null, secret: string | null) {
    const { name, role } = principalOf(req);
    return {
      name,
      role,
      permissions: [...ROLE_PERMISSIONS[role]],
      session: expiresAt === null || secret === null ? null : { expiresAt, csrfToken: csrfTokenOf(secret) },
    };
  }
}
