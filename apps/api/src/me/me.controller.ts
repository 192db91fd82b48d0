import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '@abuse-monitor/domain';
import { principalOf } from '../auth/auth.guard';
import { defineEndpoint, Endpoint } from '../http/endpoint';

export const whoAmI = defineEndpoint({
  operationId: 'whoAmI',
  method: 'get',
  path: '/api/v1/me',
  tag: 'session',
  summary: "The caller's name and role, and what the role may do",
  description:
    'The review console calls it on sign-in, to offer only the actions the role may take. The server ' +
    'still checks every request: hiding a button is a convenience, not a control.',
  permission: 'console:sign-in',
  response: z.object({
    name: z.string().describe('as it appears in flag histories and the audit log'),
    role: z.enum(ROLES),
    permissions: z.array(z.enum(PERMISSIONS)),
  }),
});

@Controller()
export class MeController {
  @Endpoint(whoAmI)
  me(@Req() req: Request) {
    const { name, role } = principalOf(req);
    return { name, role, permissions: [...ROLE_PERMISSIONS[role]] };
  }
}
