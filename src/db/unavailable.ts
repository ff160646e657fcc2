/**
 * Whether an error means the database cannot be reached or cannot answer now (a restart, a
 * failover, a network cut, a pool that cannot connect, a statement over its time limit), as opposed
 * to a fault of the request or the code. The error handler answers these 503 `database_unavailable`
 * with `Retry-After`, so clients know a retry will work; the pool reconnects on its own.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of an unavailable server: class 08 (connection exception), 57P01-57P03 (shutdown,
 * crash, cannot connect now), 53300 (too many connections), 57014 (statement timeout).
 */
const UNAVAILABLE_STATE = /^(08...|57P0[123]|53300|57014)$/;

/** What the node-postgres pool and client throw when the connection is gone or never came. */
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|connect ECONNREFUSED|not queryable/i;

/**
 * The error itself and, for an AggregateError (every address refused), its parts; not `cause`: an
 * outgoing call's failure (OIDC discovery, a webhook) wraps its socket error there and is no
 * database outage.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || UNAVAILABLE_STATE.test(e.code))) return true;
  if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
  return Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x));
}
