import { readFileSync } from 'node:fs';
import type { Client } from 'pg';

/** CPU a process has used so far (utime + stime from /proc), in seconds; USER_HZ is 100 on Linux. */
export function cpuSeconds(pid: number | string): number {
  // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of this database's PostgreSQL backends (other than the monitor's own), by pid. */
export async function backendCpu(monitor: Client, database: string): Promise<Map<number, number>> {
  const { rows } = await monitor.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuSeconds(pid));
    } catch {
      // Gone between the query and the read.
    }
  }
  return cpu;
}

export const cpuSince = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0);
