import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from './process-cpu';

/** PostgreSQL's processes, told apart: what the pipeline's statements cost and what runs beside them. */
export const POSTGRES_PARTS = [
  'sessions on the bench database',
  'other sessions',
  'autovacuum',
  'background processes',
] as const;
type PostgresPart = (typeof POSTGRES_PARTS)[number];

function postgresPart(command: string, database: string): PostgresPart {
  if (command.includes('autovacuum')) return 'autovacuum';
  // A session's title is "postgres: [cluster:] user database host(port) state" (or [local]).
  if (!/ \S+\(\d+\) | \[local\] /.test(command)) return 'background processes';
  return command.includes(` ${database} `) ? 'sessions on the bench database' : 'other sessions';
}

/**
 * The broker's threads, told apart: a young JVM spends much of its CPU compiling its own code
 * (the C1 and C2 compiler threads), so the broker's figure depends on how long it has been
 * running; what is left after compilation and garbage collection is what the requests cost.
 */
export const BROKER_PARTS = ['requests', 'JIT compilation', 'garbage collection'] as const;
type BrokerPart = (typeof BROKER_PARTS)[number];

/** By the thread's name (comm, cut to 15 characters): "C2 CompilerThre", "GC Thread#0", "G1 Conc#0". */
function brokerPart(thread: string): BrokerPart {
  if (/^C[12] CompilerThre/.test(thread)) return 'JIT compilation';
  // The VM thread runs the safepoints, which are mostly the collector's pauses.
  if (/^(GC Thread|G1 |VM Thread)/.test(thread)) return 'garbage collection';
  return 'requests';
}

/** CPU time all processes of the machine have used since boot (idle, I/O wait and steal left out), in seconds. */
function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) / 100;
}

/** A role's CPU over a window, in seconds. */
export type CpuSeconds = Map<string, number>;

/**
 * CPU used by the processes that make up the pipeline on this machine, by role: the apps (by the
 * pids the bench started), the broker (the java process running kafka.Kafka, its threads under
 * 'broker: <part>') and PostgreSQL (all its processes, under 'PostgreSQL: <part>'). The broker
 * and PostgreSQL are shared with whoever else uses this machine; 'other sessions' shows how much
 * of that was in PostgreSQL.
 *
 * Sampled (call sample() every second or so), so that short-lived processes such as autovacuum
 * workers are counted up to their last sample; a process first seen after mark() counts from zero.
 */
export class CpuByRole {
  private baseline = new Map<number, number>();
  private readonly last = new Map<number, { role: string; seconds: number }>();
  private machineAtMark = 0;
  private machineAtLast = 0;

  constructor(
    private readonly appRoles: ReadonlyMap<number, string>,
    private readonly database: string,
  ) {
    this.mark();
  }

  /** Starts the window: what was used so far does not count. */
  mark(): void {
    this.sample();
    this.baseline = new Map([...this.last].map(([pid, { seconds }]) => [pid, seconds]));
    this.machineAtMark = this.machineAtLast;
  }

  sample(): void {
    this.machineAtLast = machineBusySeconds();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const pid = Number(entry);
        const role = this.roleOf(pid);
        if (role === 'broker') this.sampleBrokerThreads(pid);
        else if (role !== null) this.last.set(pid, { role, seconds: cpuSeconds(pid) });
      } catch {
        // The process ended while being read.
      }
    }
  }

  /** Seconds by role since mark(), as of the last sample. */
  seconds(): CpuSeconds {
    const byRole: CpuSeconds = new Map();
    for (const [pid, { role, seconds }] of this.last) {
      byRole.set(role, (byRole.get(role) ?? 0) + seconds - (this.baseline.get(pid) ?? 0));
    }
    return byRole;
  }

  /**
   * CPU the whole machine used since mark(), as of the last sample: what the roles leave of it
   * is everyone else's (the bench, other engineers' builds and tests), the noise in the figures.
   */
  machineSeconds(): number {
    return this.machineAtLast - this.machineAtMark;
  }

  /** Each broker thread by its id, which no process or other thread shares. */
  private sampleBrokerThreads(pid: number): void {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${thread}/comm`, 'utf8').trim();
        this.last.set(Number(thread), {
          role: `broker: ${brokerPart(name)}`,
          seconds: cpuSeconds(`${pid}/task/${thread}`),
        });
      } catch {
        // The thread ended while being read.
      }
    }
  }

  private roleOf(pid: number): string | null {
    const app = this.appRoles.get(pid);
    if (app !== undefined) return app;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (command.startsWith('postgres') || command.includes('/bin/postgres'))
      return `PostgreSQL: ${postgresPart(command, this.database)}`;
    if (command.includes('kafka.Kafka')) return 'broker';
    return null;
  }
}

/** The sum over the roles that start with `prefix`. */
export function total(seconds: CpuSeconds, prefix: string): number {
  return [...seconds].filter(([role]) => role.startsWith(prefix)).reduce((sum, [, s]) => sum + s, 0);
}
