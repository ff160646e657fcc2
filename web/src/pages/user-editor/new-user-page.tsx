/** "+ New user": a manual user (portal-only, G4) created with the same editor. */
import { useMemo, useState } from 'react';
import { useActor, useTenant } from '../../api/hooks.js';
import { blankManualUser } from '../../lib/user-draft.js';
import { useEditorLookups } from './use-editor-lookups.js';
import { UserEditor, type EditorTab } from './user-editor.js';

export function NewUserPage() {
  const initial = useMemo(() => blankManualUser(), []);
  const tenant = useTenant();
  const { actor } = useActor();
  const { lookups } = useEditorLookups();
  const [tab, setTab] = useState<EditorTab>('details');
  return (
    <UserEditor
      saved={null}
      initial={initial}
      access={null}
      tenant={tenant.data ?? null}
      actor={actor}
      lookups={lookups}
      tab={tab}
      onTab={setTab}
      onReload={() => undefined}
    />
  );
}
