/** The slice of a pino-style logger the core uses, so tests can pass their own. */
export interface LogFn {
  (obj: object, msg: string): void;
}
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
