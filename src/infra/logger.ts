import pino, { type Logger } from 'pino';

/** One pino logger for the process; request lines carry request id, tenant id and actor id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], remove: true },
  });
}
