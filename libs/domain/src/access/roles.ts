/**
 * Who may do what. Roles are cumulative from analyst up (analyst ⊂ supervisor ⊂ admin); agents
 * stand apart: hotline agents submit reports on callers' behalf and must not see the review queue,
 * the subscribers behind it or the rules that drive it.
 */

export const ROLES = ['agent', 'analyst', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'reports:submit',
  'submissions:review',
  'flags:read',
  'flags:act',
  'flags:reassign',
  'subscribers:read',
  'rules:read',
  'rules:write',
  'allowlist:read',
  'allowlist:write',
  'reporters:manage',
  'reporters:unmasked',
  'summaries:read',
  'tokens:manage',
  'audit:read',
  // Signing in to the console (decision 0064): every role, agents too, to record appeals there.
  'console:sign-in',
  // Appeals (decision 0064): agents record them, supervisors decide them.
  'appeals:record',
  'appeals:read',
  'appeals:decide',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Spelled out role by role rather than derived, so a reviewer reads the whole grant of each role here.
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  // An agent on a subscriber's complaint call finds the number's actioned flag and records the
  // appeal; the queue, the reporters and the rules stay out of their sight (decision 0064).
  agent: Object.freeze(['reports:submit', 'console:sign-in', 'appeals:record'] as const),
  analyst: Object.freeze([
    'flags:read',
    'flags:act',
    'subscribers:read',
    'rules:read',
    'allowlist:read',
    'console:sign-in',
    'appeals:read',
  ] as const),
  supervisor: Object.freeze([
    'flags:read',
    'flags:act',
    'subscribers:read',
    'rules:read',
    'allowlist:read',
    'flags:reassign',
    'rules:write',
    'allowlist:write',
    'reporters:manage',
    'reporters:unmasked',
    'summaries:read',
    'submissions:review',
    'console:sign-in',
    'appeals:record',
    'appeals:read',
    'appeals:decide',
  ] as const),
  admin: Object.freeze([
    'reports:submit',
    'flags:read',
    'flags:act',
    'flags:reassign',
    'subscribers:read',
    'rules:read',
    'rules:write',
    'allowlist:read',
    'allowlist:write',
    'reporters:manage',
    'reporters:unmasked',
    'summaries:read',
    'tokens:manage',
    'audit:read',
    'submissions:review',
    'console:sign-in',
    'appeals:record',
    'appeals:read',
    'appeals:decide',
  ] as const),
});

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Fails closed: a role that is not one of ROLES (say, read from an old token) has no permission. */
export function hasPermission(role: Role, permission: Permission): boolean {
  return isRole(role) && ROLE_PERMISSIONS[role].includes(permission);
}
