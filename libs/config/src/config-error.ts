/** A variable is missing or wrong: the message names it, in one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
