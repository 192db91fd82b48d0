import 'reflect-metadata';
import { userInfo } from 'node:os';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { loadConfigOrExit, postgresUrl } from '@abuse-monitor/config';
import { isRole, ROLES, RULES_ACTOR, SCHEDULER_ACTOR } from '@abuse-monitor/domain';
import { commandLine, printable } from '@abuse-monitor/runtime';
import {
  AuditActor,
  AuditLog,
  dataSourceOptions,
  TokenNameTaken,
  TokenStore,
} from '@abuse-monitor/persistence';

/**
 * npm run -s admin -- create-token --name NAME --role ROLE
 * npm run -s admin -- revoke-token --id ID
 * npm run -s admin -- list-tokens
 * Token management from the operator's shell, for the first admin token and for emergencies; the
 * same changes are in the API for admins. Every change is written to the audit log.
 */
const USAGE = [
  'usage: npm run -s admin -- create-token --name NAME --role ROLE',
  '       npm run -s admin -- revoke-token --id TOKEN_ID',
  '       npm run -s admin -- list-tokens',
  `roles: ${ROLES.join(', ')}`,
].join('\n');

const NAME = /^[\p{L}\p{N}._@-]{1,64}$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const config = loadConfigOrExit(
  z.object({ DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/abuse_monitor') }),
);

const { parse, fail: failWithUsage } = commandLine(USAGE);
// Annotated, so that TypeScript knows nothing after a failure runs.
const fail: (message: string) => never = failWithUsage;

function readArguments() {
  return parse({
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, id: { type: 'string' } },
  });
}

const cliActor = (): AuditActor => ({
  tokenId: null,
  name: `cli:${userInfo().username}`,
  role: null,
  requestId: null,
  method: null,
  path: null,
  clientIp: null,
});

async function main(): Promise<void> {
  const { positionals, values } = readArguments();
  const [command, ...extra] = positionals;
  if (extra.length > 0) fail(`unexpected arguments: ${extra.join(' ')}`);
  if (command === 'create-token') {
    if (
      !values.name ||
      !NAME.test(values.name) ||
      [RULES_ACTOR, SCHEDULER_ACTOR, 'migration', 'anonymous'].includes(values.name)
    )
      fail(
        '--name is required: 1 to 64 letters, digits, . _ @ - (it names the person in the audit log; not rules, scheduler, migration or anonymous)',
      );
    if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  } else if (command === 'revoke-token') {
    if (!values.id || !UUID.test(values.id)) fail('--id is required: the token id (a UUID) from list-tokens');
  } else if (command !== 'list-tokens') {
    fail(command ? `unknown command ${command}` : 'a command is required');
  }

  const dataSource = new DataSource({
    ...dataSourceOptions({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-admin', poolSize: 1 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  const tokens = new TokenStore();
  const audit = new AuditLog();
  const actor = cliActor();
  try {
    if (command === 'create-token') {
      const { token, secret } = await dataSource.transaction(async (manager) => {
        const created = await tokens.create(
          { name: values.name!, role: values.role as never, createdBy: actor.name },
          manager,
        );
        await audit.append(
          actor,
          {
            action: 'token.create',
            targetType: 'token',
            targetId: created.token.id,
            before: null,
            after: created.token,
          },
          manager,
        );
        return created;
      });
      process.stderr.write(
        `token ${token.id} for ${printable(token.name)} (${token.role}); shown once, keep it safe:\n`,
      );
      process.stdout.write(`${secret}\n`);
    } else if (command === 'revoke-token') {
      const revoked = await dataSource.transaction(async (manager) => {
        const before = await tokens.find(values.id!, manager);
        const after = await tokens.revoke(values.id!, actor.name, manager);
        if (after)
          await audit.append(
            actor,
            { action: 'token.revoke', targetType: 'token', targetId: after.id, before, after },
            manager,
          );
        return after;
      });
      if (!revoked) {
        process.stderr.write(`no live token with id ${values.id}\n`);
        process.exitCode = 1;
      } else process.stdout.write(`revoked ${revoked.id} (${printable(revoked.name)})\n`);
    } else {
      for (const t of await tokens.list(dataSource.manager))
        process.stdout.write(
          `${t.id}  ${t.role.padEnd(10)}  ${t.revokedAt ? 'revoked' : 'live   '}  ${printable(t.name)}  last used ${t.lastUsedAt ?? 'never'}\n`,
        );
    }
  } catch (error) {
    if (error instanceof TokenNameTaken) {
      process.stderr.write(`${printable(error.message)}\n`);
      process.exitCode = 1;
    } else throw error;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `admin failed: ${printable(error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exit(1);
});
