import type { EnrolmentCodeOut } from '@beckon/protocol';
import { useState } from 'react';
import { useApp, useFormatTime, useServices, useT } from '../app-context.ts';
import { SecretOnce } from '../helpdesk/SecretOnce.tsx';

/**
 * Administrators: a single-use enrolment code and the line that installs a
 * managed host with it. The broker keeps only the code's hash, so it is shown once.
 */
export function AddComputer() {
  const t = useT();
  const time = useFormatTime();
  const { api, toasts } = useServices();
  const brokerUrl = useApp((s) => s.prefs.brokerUrl) || window.location.origin;
  const [made, setMade] = useState<EnrolmentCodeOut | null>(null);
  const create = async () => {
    try {
      setMade(await api.hosts.createEnrolmentCode());
    } catch (err) {
      toasts.getState().push((err as Error).message, 'error');
    }
  };
  if (!made)
    return (
      <button type="button" onClick={() => void create()}>
        {t('computers.add')}
      </button>
    );
  const command = `scripts/beckon assist host install --broker ${brokerUrl} --enrolment-code ${made.code}`;
  return (
    <div className="add-computer">
      <p>{t('computers.addHint', { until: time(made.expiresAt) })}</p>
      <SecretOnce label={t('computers.command')} secret={{ secret: command }} onDone={() => setMade(null)} />
    </div>
  );
}
