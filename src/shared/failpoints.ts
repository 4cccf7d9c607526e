/**
 * Crash points for fault-injection tests: FAILPOINTS="relay.after-add,job.before-commit" makes the
 * process SIGKILL itself when it reaches a named point, as a power cut would. Unset in production,
 * where a failpoint is one Set lookup.
 */
const armed = new Set((process.env.FAILPOINTS ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export function failpoint(name: string): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
