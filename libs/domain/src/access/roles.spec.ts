import {
  hasPermission,
  isRole,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from './roles';

// The whole matrix, written out independently of ROLE_PERMISSIONS: a change to a grant must change
// this table too. Y: granted, N: not.
const Y = true;
const N = false;
//                             agent analyst supervisor admin
const MATRIX: ReadonlyArray<readonly [Permission, boolean, boolean, boolean, boolean]> = [
  ['reports:submit', /*     */ Y, N, N, Y],
  ['submissions:review', /* */ N, N, Y, Y],
  ['flags:read', /*         */ N, Y, Y, Y],
  ['flags:act', /*          */ N, Y, Y, Y],
  ['flags:reassign', /*     */ N, N, Y, Y],
  ['subscribers:read', /*   */ N, Y, Y, Y],
  ['rules:read', /*         */ N, Y, Y, Y],
  ['rules:write', /*        */ N, N, Y, Y],
  ['allowlist:read', /*     */ N, Y, Y, Y],
  ['allowlist:write', /*    */ N, N, Y, Y],
  ['reporters:manage', /*   */ N, N, Y, Y],
  ['reporters:unmasked', /* */ N, N, Y, Y],
  ['summaries:read', /*     */ N, N, Y, Y],
  ['tokens:manage', /*      */ N, N, N, Y],
  ['audit:read', /*         */ N, N, N, Y],
  ['console:sign-in', /*    */ Y, Y, Y, Y],
  ['appeals:record', /*     */ Y, N, Y, Y],
  ['appeals:read', /*       */ N, Y, Y, Y],
  ['appeals:decide', /*     */ N, N, Y, Y],
];

const CASES = MATRIX.flatMap(([permission, ...granted]) =>
  ROLES.map((role, index) => [role, permission, granted[index] as boolean] as const),
);

function permissionsOf(role: Role): Set<Permission> {
  return new Set(PERMISSIONS.filter((permission) => hasPermission(role, permission)));
}

describe('roles and permissions', () => {
  it('lists every permission exactly once in the table', () => {
    expect(MATRIX.map(([permission]) => permission).sort()).toEqual([...PERMISSIONS].sort());
  });

  it.each(CASES)('%s has %s: %s', (role, permission, expected) => {
    expect(hasPermission(role, permission)).toBe(expected);
  });

  it('grants agents only report submission, signing in and recording appeals', () => {
    expect([...permissionsOf('agent')]).toEqual(['reports:submit', 'console:sign-in', 'appeals:record']);
  });

  it('grants analyst ⊂ supervisor ⊂ admin, each strictly more', () => {
    const analyst = permissionsOf('analyst');
    const supervisor = permissionsOf('supervisor');
    const admin = permissionsOf('admin');
    for (const permission of analyst) expect(supervisor.has(permission)).toBe(true);
    for (const permission of supervisor) expect(admin.has(permission)).toBe(true);
    expect(supervisor.size).toBeGreaterThan(analyst.size);
    expect(admin.size).toBeGreaterThan(supervisor.size);
  });

  it('grants admins every permission', () => {
    expect(permissionsOf('admin')).toEqual(new Set(PERMISSIONS));
  });

  it('lists no permission twice for a role', () => {
    for (const role of ROLES) {
      expect(new Set(ROLE_PERMISSIONS[role]).size).toBe(ROLE_PERMISSIONS[role].length);
    }
  });

  it('cannot be widened at run time', () => {
    expect(Object.isFrozen(ROLE_PERMISSIONS)).toBe(true);
    for (const role of ROLES) expect(Object.isFrozen(ROLE_PERMISSIONS[role])).toBe(true);
  });

  it('refuses everything to a role that is not one of ROLES', () => {
    expect(hasPermission('root' as Role, 'flags:read')).toBe(false);
    expect(hasPermission('__proto__' as Role, 'flags:read')).toBe(false);
  });
});

describe('isRole', () => {
  it.each(ROLES)('accepts %s', (role) => {
    expect(isRole(role)).toBe(true);
  });

  it.each([['Admin'], [''], [null], ['root'], [undefined], [' admin'], [0], [['admin']], ['constructor']])(
    'rejects %p',
    (value) => {
      expect(isRole(value)).toBe(false);
    },
  );
});
