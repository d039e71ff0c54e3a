import type { RemotePermission } from '@beckon/protocol';
import { useStore } from 'zustand';
import type { AdhocAuthStore } from './adhoc-auth-store.ts';
import { FileManagerPanel } from './FileManagerPanel.tsx';
import type { FmStore } from './fm-store.ts';

/** The file manager and processes, only on a temporary host that accepted the password. */
export function AdhocAccess(props: {
  auth: AdhocAuthStore;
  fm: FmStore;
  permissions: readonly RemotePermission[];
}) {
  const accepted = useStore(props.auth, (s) => s.phase === 'accepted');
  if (!accepted) return null;
  return (
    <FileManagerPanel
      store={props.fm}
      files={props.permissions.includes('file_transfer')}
      sysinfo={props.permissions.includes('system_info')}
    />
  );
}
