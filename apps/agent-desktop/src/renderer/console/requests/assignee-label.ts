import type { Assignee } from '@beckon/protocol';
import type { Translate } from '../i18n/i18n.ts';

/** "Queue Billing", "Device Laptop"; a target deleted since shows as removed. */
export function assigneeLabel(t: Translate, a: Assignee): string {
  if (a.type === 'unassigned') return t('assignee.unassigned');
  const name = a.name ?? t('assignee.unknown');
  return t(`assignee.${a.type}`, { name });
}
