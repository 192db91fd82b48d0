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
    expect(offeredCommands({ status: 'open', assignee: null, recommendedAction: 'warn' }, analyst)).toEqual({
      claim: true,
      assignToOthers: false,
      actions: [...TAKEN_ACTIONS],
      dismiss: true,
      watch: false,
      allowlistOnDismiss: false,
      reopen: false,
      why: null,
    });
  });

  it('offers no action against a protected originator, only a referral to the police, and says why', () => {
    const offered = offeredCommands(
      { status: 'open', assignee: null, recommendedAction: 'investigate_origin', kind: 'spoofing' },
      analyst,
    );
    expect(offered).toMatchObject({ claim: true, actions: ['refer_police'], dismiss: true });
    expect(offered.why).toContain('Probable spoofing');
    const abuse = { status: 'open' as const, assignee: null, recommendedAction: 'warn', kind: 'abuse' };
    expect(offeredCommands(abuse, analyst).actions).toEqual([...TAKEN_ACTIONS]);
  });

  it('lets the reviewer decide their own flag, and tells another analyst whose review it is', () => {
    const mine = offeredCommands(
      { status: 'in_review', assignee: 'analyst-a', recommendedAction: 'warn' },
      analyst,
    );
    expect(mine).toMatchObject({ claim: false, dismiss: true, reopen: false });
    expect(mine.actions).toEqual([...TAKEN_ACTIONS]);
    const theirs = offeredCommands(
      { status: 'in_review', assignee: 'analyst-b', recommendedAction: 'warn' },
      analyst,
    );
    expect(theirs).toMatchObject({ claim: false, actions: [], dismiss: false, reopen: false });
    expect(theirs.why).toContain('analyst-b is reviewing this flag');
  });

  it('lets a supervisor take over, assign, decide and allowlist', () => {
    expect(
      offeredCommands({ status: 'in_review', assignee: 'analyst-b', recommendedAction: 'warn' }, supervisor),
    ).toMatchObject({
      claim: true,
      assignToOthers: true,
      dismiss: true,
      allowlistOnDismiss: true,
    });
  });

  it('lets a supervisor or admin decide an open flag or their own review without taking it over', () => {
    const admin = caller('root', 'admin');
    for (const who of [supervisor, admin]) {
      expect(
        offeredCommands({ status: 'open', assignee: null, recommendedAction: 'warn' }, who),
      ).toMatchObject({
        claim: true,
        assignToOthers: true,
        dismiss: true,
        allowlistOnDismiss: true,
      });
      expect(
        offeredCommands({ status: 'in_review', assignee: who.name, recommendedAction: 'warn' }, who),
      ).toMatchObject({
        claim: false,
        assignToOthers: true,
        dismiss: true,
      });
    }
  });

  it('offers watching only where the rules recommend it, and only before a decision', () => {
    for (const who of [analyst, supervisor]) {
      expect(offeredCommands({ status: 'open', assignee: null, recommendedAction: 'watch' }, who).watch).toBe(
        true,
      );
      expect(offeredCommands({ status: 'open', assignee: null, recommendedAction: 'warn' }, who).watch).toBe(
        false,
      );
    }
    expect(
      offeredCommands({ status: 'in_review', assignee: 'analyst-a', recommendedAction: 'watch' }, analyst)
        .watch,
    ).toBe(true);
    expect(
      offeredCommands({ status: 'dismissed', assignee: null, recommendedAction: 'watch' }, supervisor).watch,
    ).toBe(false);
  });

  it('lets anyone who may act decide or reopen a watched flag, but not claim or watch it again', () => {
    const offered = offeredCommands(
      { status: 'watched', assignee: null, recommendedAction: 'watch' },
      analyst,
    );
    expect(offered).toEqual({
      claim: false,
      assignToOthers: false,
      actions: [...TAKEN_ACTIONS],
      dismiss: true,
      watch: false,
      allowlistOnDismiss: false,
      reopen: true,
      why: null,
    });
    expect(
      offeredCommands({ status: 'watched', assignee: null, recommendedAction: 'watch' }, supervisor)
        .allowlistOnDismiss,
    ).toBe(true);
  });

  it('offers nothing on a status it does not know, leaving the judgement to the API', () => {
    const offered = offeredCommands(
      { status: 'archived' as never, assignee: null, recommendedAction: 'warn' },
      supervisor,
    );
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
        expect(offeredCommands({ status, assignee: null, recommendedAction: 'warn' }, who)).toMatchObject({
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
      const offered = offeredCommands({ status, assignee: null, recommendedAction: 'watch' }, reader);
      expect(offered).toMatchObject({ claim: false, actions: [], dismiss: false, reopen: false });
      expect(offered.why).toMatch(/not act/);
    }
  });
});
