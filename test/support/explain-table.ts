import { expect, it } from 'vitest';
import type { NamedPermission } from '../../src/catalog/index.js';
import { explainCapability } from '../../src/access/explain.js';
import type { Decision, TenantAccess, UserAccess } from '../../src/access/types.js';
import { makeQueue, makeTenant, makeUser } from './access-factories.js';

/** Website access and the named permissions given. */
export const web = (...more: NamedPermission[]): NamedPermission[] => ['website_access', ...more];

/** The tenant's queues in the explain tables: Sales (q1, 30 s wrap-up) and Support (q2). */
export const queues = [
  makeQueue({ id: 'q1', name: 'Sales', wrapUpSeconds: 30 }),
  makeQueue({ id: 'q2', name: 'Support' }),
];

/** What a decision must say: allowed or not, and the source and rule (or code) its reasons name. */
export interface Expect {
  allowed: boolean;
  grantedBy?: string;
  blockedBy?: string;
  code?: string;
}

/** Asserts the decision and that its reasons name the expected source and rule. */
export function expectDecision(d: Decision, e: Expect): void {
  expect(d.allowed).toBe(e.allowed);
  if (e.grantedBy) expect(d.grantedBy).toContain(e.grantedBy);
  if (e.blockedBy) expect(d.blockedBy.map((b) => b.rule)).toContain(e.blockedBy);
  if (e.code) expect(d.blockedBy.map((b) => b.code)).toContain(e.code);
  // A refusal with a grant must say which rule blocked it (X1).
  if (!d.allowed && d.grantedBy.length > 0) expect(d.blockedBy.length).toBeGreaterThan(0);
  if (d.allowed) expect(d.blockedBy).toEqual([]);
}

/** One row of a table: a user (made from the overrides), a capability (and resource) and the decision expected. */
export interface Case extends Expect {
  name: string;
  user: Partial<UserAccess>;
  tenant?: TenantAccess;
  cap: string;
  resource?: string;
}

/** One test a row, named by the row (the name cites the rule id). */
export function runTable(cases: Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectDecision(explainCapability(makeUser(c.user), c.tenant ?? makeTenant({ queues }), c.cap, c.resource), c);
  });
}
