import 'reflect-metadata';
import { userInfo } from 'node:os';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { checkTokenName, isRole, parseTokenLifetime, ROLES } from '@abuse-monitor/domain';
import { commandLine, printable } from '@abuse-monitor/runtime';
import {
  AccessRepository,
  ApiToken,
  AuditActor,
  AuditLogRepository,
  dataSourceOptions,
  TokenNameTaken,
  TokensRepository,
} from '@abuse-monitor/persistence';
import { adminEnvSchema } from './admin.config';

/**
 * Token management from the operator's shell, for the first admin token and for emergencies; the
 * same changes are in the API for admins. Every change is written to the audit log.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const { parse, fail: failWithUsage } = commandLine({
  name: 'admin',
  summary: "issues, lists and revokes the API's bearer tokens",
  usage: [
    'create-token --name NAME --role ROLE [--expires-in 90m|12h|30d]',
    'revoke-token --id TOKEN_ID | --name NAME',
    'list-tokens',
  ],
  description: [
    'For the first admin token and for emergencies; admins make the same changes through the API.',
    'Every change is written to the audit log, by cli:<your user name>. A new secret is printed',
    'once, on stdout; only its hash is stored.',
  ],
  commands: {
    'create-token': 'issue a token and print its secret',
    'revoke-token': 'revoke a live token, by id or by name',
    'list-tokens': 'one line per token: id, role, state, name, last use, expiry',
  },
  options: {
    name: {
      type: 'string',
      value: 'NAME',
      description: 'the person or system: a-z, 0-9 and . _ -, never reused',
    },
    role: { type: 'string', value: 'ROLE', description: `one of ${ROLES.join(', ')}` },
    id: { type: 'string', value: 'TOKEN_ID', description: 'the token id, as list-tokens shows it' },
    'expires-in': {
      type: 'string',
      value: 'DURATION',
      description: 'lifetime: 90m, 12h, 30d (default: none)',
    },
  },
  environment: { names: Object.keys(adminEnvSchema.shape), notes: { DATABASE_URL: 'PostgreSQL' } },
  examples: [
    'abuse-monitor admin create-token --name nguyen.an --role analyst --expires-in 30d',
    'abuse-monitor admin revoke-token --name nguyen.an',
  ],
  allowPositionals: true,
});
// Annotated, so that TypeScript knows nothing after a failure runs.
const fail: (message: string) => never = failWithUsage;
const { positionals, values } = parse();
const config = loadConfigOrExit(adminEnvSchema);

const cliActor = (): AuditActor => ({
  tokenId: null,
  name: `cli:${userInfo().username}`,
  role: null,
  requestId: null,
  method: null,
  path: null,
  clientIp: null,
});

function stateOf(token: ApiToken): string {
  if (token.revokedAt) return 'revoked';
  return token.expiresAt && Date.parse(token.expiresAt) <= Date.now() ? 'expired' : 'live';
}

async function main(): Promise<void> {
  const [command, ...extra] = positionals;
  if (extra.length > 0) fail(`unexpected arguments: ${extra.join(' ')}`);
  let lifetimeMs: number | null = null;
  if (command === 'create-token') {
    if (!values.name) fail('--name is required');
    const name = checkTokenName(values.name);
    if (!name.ok) fail(`--name: ${name.reason}`);
    if (!isRole(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
    if (values['expires-in'] !== undefined) {
      const lifetime = parseTokenLifetime(values['expires-in']);
      if (!lifetime.ok) fail(`--expires-in: ${lifetime.reason}`);
      lifetimeMs = lifetime.ms;
    }
  } else if (command === 'revoke-token') {
    if ((values.id === undefined) === (values.name === undefined))
      fail('revoke-token takes --id (the token id from list-tokens) or --name');
    if (values.id !== undefined && !UUID.test(values.id)) fail('--id: expected the token id (a UUID)');
    if (values.name !== undefined && !checkTokenName(values.name).ok) fail('--name: not a token name');
  } else if (command !== 'list-tokens') {
    fail(command ? `unknown command ${command}` : 'a command is required');
  }

  const dataSource = new DataSource({
    ...dataSourceOptions({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-admin', poolSize: 1 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  const tokens = new TokensRepository();
  const access = new AccessRepository(tokens, new AuditLogRepository());
  const actor = cliActor();
  try {
    if (command === 'create-token') {
      const { token, secret } = await dataSource.transaction((manager) =>
        access.issue(
          manager,
          {
            name: values.name!,
            role: values.role as never,
            expiresAt: lifetimeMs === null ? null : new Date(Date.now() + lifetimeMs),
          },
          actor,
        ),
      );
      process.stderr.write(
        `token ${token.id} for ${printable(token.name)} (${token.role})${token.expiresAt ? `, expires ${token.expiresAt}` : ''}; shown once, keep it safe:\n`,
      );
      process.stdout.write(`${secret}\n`);
    } else if (command === 'revoke-token') {
      const revoked = await dataSource.transaction(async (manager) => {
        const before = values.id
          ? await tokens.find(values.id, manager)
          : await tokens.byName(values.name!, manager);
        return before ? access.revoke(manager, before, actor) : null;
      });
      if (!revoked) {
        process.stderr.write(
          `no live token ${values.id ? `with id ${values.id}` : `named ${values.name}`}\n`,
        );
        process.exitCode = 1;
      } else process.stdout.write(`revoked ${revoked.id} (${printable(revoked.name)})\n`);
    } else {
      for (const t of await tokens.list(dataSource.manager))
        process.stdout.write(
          `${t.id}  ${t.role.padEnd(10)}  ${stateOf(t).padEnd(7)}  ${printable(t.name)}  last used ${t.lastUsedAt ?? 'never'}  expires ${t.expiresAt ?? 'never'}\n`,
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
