import { randomInt } from 'node:crypto';
import type { Server } from '../../src/app.js';

/**
 * A small runner for a Runscope (radar) test export, as Okta publishes its SCIM 2.0 SPEC test: each
 * `request` step is sent through the server, its assertions checked, its variables extracted for
 * later steps. Pauses are skipped. Response-time assertions are recorded but not enforced (timing
 * belongs in `npm run bench`, not in tests that must not flake).
 */
interface Assertion {
  comparison: string;
  source: string;
  property?: string;
  value: string | null;
}
interface Step {
  step_type: string;
  method?: string;
  url?: string;
  note?: string;
  headers?: Record<string, string[]>;
  body?: string;
  assertions?: Assertion[];
  variables?: Array<{ source: string; name: string; property: string }>;
}
export interface RunscopeExport {
  steps: Step[];
}

export interface StepResult {
  note: string;
  status: number;
  failures: string[];
  timing: number;
}

/** The variables Okta's initial script sets (Okta-Initial_Script_Spec.txt), made the same way. */
export function oktaInitialVariables(): Record<string, string> {
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
  const firstname = `Runscope${pick('0123456789', 3)}`;
  const lastname =
    pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1) + pick('abcdefghijklmnopqrstuvwxyz', 8) + pick('0123456789', 3);
  const email = `${firstname}${lastname}@atko.com`;
  return {
    randomGivenName: firstname,
    randomFamilyName: lastname,
    randomEmail: email,
    randomUsername: email,
    InvalidUserEmail: 'abcdefgh@atko.com',
    UserIdThatDoesNotExist: '010101001010101011001010101011',
    randomUsernameCaps: email.toUpperCase(),
  };
}

const fill = (s: string, vars: Record<string, string>) =>
  s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? `{{${k}}}`);

/** `Resources[0].name.familyName` in a JSON value. */
function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    cur = (cur as Record<string, unknown> | null | undefined)?.[m[1]!];
    for (const idx of m[2]!.match(/\d+/g) ?? []) cur = (cur as unknown[] | undefined)?.[Number(idx)];
  }
  return cur;
}

function check(a: Assertion, status: number, json: unknown, vars: Record<string, string>): string | null {
  const expected = a.value === null ? null : fill(a.value, vars);
  const actual = a.source === 'response_status' ? status : at(json, a.property ?? '');
  const show = `${a.source}${a.property ? ` ${a.property}` : ''} ${a.comparison} ${expected ?? ''} (got ${JSON.stringify(actual)})`;
  switch (a.comparison) {
    case 'equal_number':
      return Number(actual) === Number(expected) ? null : show;
    case 'equal':
      return String(actual) === expected ? null : show;
    case 'not_empty':
      return actual !== undefined && actual !== null && actual !== '' && !(Array.isArray(actual) && actual.length === 0)
        ? null
        : show;
    case 'is_a_number':
      return typeof actual === 'number' ? null : show;
    case 'has_value':
    case 'contains':
      return (Array.isArray(actual) && actual.includes(expected)) ||
        (typeof actual === 'string' && actual.includes(expected ?? ''))
        ? null
        : show;
    default:
      return `unknown comparison ${a.comparison}`;
  }
}

export async function runRunscope(
  server: Server,
  test: RunscopeExport,
  vars: Record<string, string>,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of test.steps) {
    if (step.step_type !== 'request') continue;
    const headers = Object.fromEntries(
      Object.entries(step.headers ?? {}).map(([k, v]) => [k.toLowerCase(), fill(v.join(', '), vars)]),
    );
    const started = performance.now();
    const res = await server.app.inject({
      method: step.method as 'GET',
      url: encodeURI(fill(step.url!, vars)).replace(/%25([0-9A-F]{2})/gi, '%$1'),
      headers,
      ...(step.body ? { payload: fill(step.body, vars) } : {}),
    });
    const timing = performance.now() - started;
    let json: unknown = null;
    try {
      json = res.body ? JSON.parse(res.body) : null;
    } catch {
      json = null;
    }
    const failures = (step.assertions ?? [])
      .filter((a) => a.source !== 'response_time')
      .map((a) => check(a, res.statusCode, json, vars))
      .filter((f): f is string => f !== null);
    for (const v of step.variables ?? []) {
      const value = at(json, v.property);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        vars[v.name] = String(value);
    }
    results.push({
      note: fill(step.note ?? `${step.method} ${step.url}`, vars),
      status: res.statusCode,
      failures,
      timing,
    });
  }
  return results;
}
