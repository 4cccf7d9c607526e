import { config } from '../config';
import { createDataSource } from '../db/data-source';
import { exitOnConfigError } from '../shared/exit-on-config-error';
import { reconcile } from './reconcile';

/**
 * `npm run reconcile`: prints the R26 report as JSON. Exit 0 when the money reconciles, 1 when it
 * does not, 2 on a bad configuration variable, 3 when the check itself could not run (a cron can
 * tell "the books are wrong" from "the check is broken").
 */
async function main(): Promise<void> {
  const cfg = exitOnConfigError(config);
  const ds = await createDataSource(cfg.DATABASE_URL, 1).initialize();
  try {
    const report = await reconcile(ds);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`reconcile failed: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(3);
});
