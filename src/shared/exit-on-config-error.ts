import { ConfigError, type Config } from '../config';

/** A bad variable ends the process with a message that names it, not a stack trace. */
export function exitOnConfigError(load: () => Config): Config {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
