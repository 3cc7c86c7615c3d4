import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc's utime/stime (100 on Linux for every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) the calling thread has used so far, from /proc/thread-self/stat
 * (Linux); undefined elsewhere. process.cpuUsage() counts every thread of the process, so this is
 * how the trainer tells its main thread's time from the slot tagger's thread.
 */
export function threadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
