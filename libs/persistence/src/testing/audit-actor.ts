import type { AuditActor } from '../access';

/** Who acts in a service's unit test: a named role, with no token or request behind it. */
export const testActor = (name: string, role: string): AuditActor => ({
  tokenId: null,
  name,
  role,
  requestId: null,
  method: null,
  path: null,
  clientIp: null,
});
