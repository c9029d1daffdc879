/** Where the running configuration came from, and how the running process takes a reload. */
export const ConfigSource = Symbol('ConfigSource');
export interface ConfigSource {
  /** The absolute path of the configuration file; undefined for the embedded default or a configuration built in code. */
  file?: string;
  /** Reload when the file changes. */
  watch: boolean;
  /** Take SIGHUP as a reload request and keep the pid file `opsroom config reload` finds this process by. */
  control: boolean;
}

/** The source of a configuration built in code (tests, tools): nothing to watch, no signals. */
export const NO_CONFIG_SOURCE: ConfigSource = Object.freeze({ watch: false, control: false });
