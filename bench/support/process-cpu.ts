import { readFileSync } from 'node:fs';

/** CPU a process has used so far (utime + stime from /proc), in seconds; USER_HZ is 100 on Linux. */
export function cpuSeconds(pid: number | string): number {
  // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
