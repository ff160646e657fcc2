/** The one error type of Switchboard. Rendered as RFC 9457 problem+json by the error handler. */
import { ERROR_STATUS, type ErrorCode } from '../catalog/errors.js';

export type { ErrorCode };

export interface ErrorOptions {
  rule?: string;
  /** JSON pointer to the offending field, e.g. `/licences`. */
  field?: string;
  /** Extra members of the problem document (e.g. `limit`, `inUse`). */
  extra?: Record<string, unknown>;
  status?: number;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly options: ErrorOptions = {},
  ) {
    super(detail);
    this.status = options.status ?? ERROR_STATUS[code];
  }
  get rule(): string | undefined {
    return this.options.rule;
  }
  get field(): string | undefined {
    return this.options.field;
  }
}

/** Short helper for the common 404 (also used for other tenants' resources, E4). */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}
