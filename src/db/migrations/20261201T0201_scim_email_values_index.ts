import { sql, type Kysely } from 'kysely';

/**
 * SCIM (P2): `emails[type eq "work"].value eq "…"`, the filter Entra ID and Okta send to find a user,
 * read every SCIM user of the tenant. The lower-cased email values of a stored resource are indexed
 * (GIN over a text array), and the filter translation tests containment in them before the exact
 * element test, so it reads only the matching rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function scim_email_values(resource jsonb) returns text[]
      language sql immutable parallel safe
      as $$
        select coalesce(array_agg(lower(e ->> 'value')) filter (where e ->> 'value' is not null), '{}')
        from jsonb_array_elements(
          case when jsonb_typeof(resource -> 'emails') = 'array' then resource -> 'emails' else '[]'::jsonb end
        ) e
      $$`.execute(db);
  await sql`create index scim_users_email_values on scim_users using gin (scim_email_values(resource))`.execute(db);
}
