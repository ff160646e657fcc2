import type { Executor } from './database.js';

/** A deployment-wide setting (generated keys, the provider token's hash). */
export async function getSystemSetting(db: Executor, key: string): Promise<string | undefined> {
  return (await db.selectFrom('system_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Inserts a value unless another node did first; returns the value that is stored. */
export async function putSystemSettingOnce(db: Executor, key: string, value: string): Promise<string> {
  await db
    .insertInto('system_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSystemSetting(db, key))!;
}

/** Sets a value, replacing what is stored (rotations). */
export async function putSystemSetting(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto('system_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
