import { ROLE_PERMISSIONS } from '@abuse-monitor/domain';
import { Caller, offeredCommands } from './commands.ts';
import { FLAG_STATUSES, TAKEN_ACTIONS } from './vocabulary.ts';

const caller = (name: string, role: keyof typeof ROLE_PERMISSIONS): Caller => ({
  name,
  permissions: ROLE_PERMISSIONS[role],
});
const analyst = caller('analyst-a', 'analyst');
const supervisor = caller('sup', 'supervisor');

describe('commands the console offers', () => {
  it('lets an analyst claim an open flag and decide it, without allowlisting or assigning to others', () => {
    expect(offeredCommands({ status: 'open', assignee: null }, analyst)).toEqual({
      claim: true,
      assignToOthers: false,
      actions: [...TAKEN_ACTIONS],
      dismiss: true,
      allowlistOnDismiss: false,
      reopen: false,
      why: null,
    });
  });

  it('offers no action against a protected originator, only a referral to the police, and says why', () => {
    const offered = offeredCommands({ status: 'open', assignee: null, kind: 'spoofing' }, analyst);
    expect(offered).toMatchObject({ claim: true, actions: ['refer_police'], dismiss: true });
    expect(offered.why).toContain('Probable spoofing');
    expect(offeredCommands({ status: 'open', assignee: null, kind: 'abuse' }, analyst).actions).toEqual([
      ...TAKEN_ACTIONS,
    ]);
  });

  it('lets the reviewer decide their own flag, and tells another analyst whose review it is', () => {
    const mine = offeredCommands({ status: 'in_review', assignee: 'analyst-a' }, analyst);
    expect(mine).toMatchObject({ claim: false, dismiss: true, reopen: false });
    expect(mine.actions).toEqual([...TAKEN_ACTIONS]);
    const theirs = offeredCommands({ status: 'in_review', assignee: 'analyst-b' }, analyst);
    expect(theirs).toMatchObject({ claim: false, actions: [], dismiss: false, reopen: false });
    expect(theirs.why).toContain('analyst-b is reviewing this flag');
  });

  it('lets a supervisor take over, assign, decide and allowlist', () => {
    expect(offeredCommands({ status: 'in_review', assignee: 'analyst-b' }, supervisor)).toMatchObject({
      claim: true,
      assignToOthers: true,
      dismiss: true,
      allowlistOnDismiss: true,
    });
  });

  it('lets a supervisor or admin decide an open flag or their own review without taking it over', () => {
    const admin = caller('root', 'admin');
    for (const who of [supervisor, admin]) {
      expect(offeredCommands({ status: 'open', assignee: null }, who)).toMatchObject({
        claim: true,
        assignToOthers: true,
        dismiss: true,
        allowlistOnDismiss: true,
      });
      expect(offeredCommands({ status: 'in_review', assignee: who.name }, who)).toMatchObject({
        claim: false,
        assignToOthers: true,
        dismiss: true,
      });
    }
  });

  it('offers nothing on a status it does not know, leaving the judgement to the API', () => {
    const offered = offeredCommands({ status: 'archived' as never, assignee: null }, supervisor);
    expect(offered).toMatchObject({
      claim: false,
      assignToOthers: false,
      actions: [],
      dismiss: false,
      reopen: false,
    });
    expect(offered.why).toContain('archived');
  });

  it('offers only reopening on a closed flag', () => {
    for (const status of ['actioned', 'dismissed', 'expired'] as const)
      for (const who of [analyst, supervisor])
        expect(offeredCommands({ status, assignee: null }, who)).toMatchObject({
          claim: false,
          assignToOthers: false,
          actions: [],
          dismiss: false,
          reopen: true,
        });
  });

  it('offers nothing to a role without flags:act, in any status, and says why', () => {
    const reader: Caller = { name: 'auditor', permissions: ['flags:read'] };
    for (const status of FLAG_STATUSES) {
      const offered = offeredCommands({ status, assignee: null }, reader);
      expect(offered).toMatchObject({ claim: false, actions: [], dismiss: false, reopen: false });
      expect(offered.why).toMatch(/not act/);
    }
  });
});
