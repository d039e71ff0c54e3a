import { useStore } from 'zustand';
import { useApp, useFormatTime, useServices, useT } from '../app-context.ts';
import { isAdmin } from '../store.ts';

/** Security alarms for administrators, above every page until dismissed. */
export function AlarmBanner() {
  const t = useT();
  const time = useFormatTime();
  const { alarms } = useServices();
  const list = useStore(alarms, (s) => s.alarms);
  const admin = useApp((s) => isAdmin(s.auth.user));
  if (!admin || list.length === 0) return null;
  return (
    <div className="alarms">
      {list.map((a) => (
        <div key={`${a.kind}@${a.at}`} className="alarm" role="alert">
          <p>
            <time dateTime={a.at}>{time(a.at)}</time> {t('alarm.joinGuessing')}
          </p>
          <button type="button" onClick={() => alarms.getState().dismiss(a)}>
            {t('alarm.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
