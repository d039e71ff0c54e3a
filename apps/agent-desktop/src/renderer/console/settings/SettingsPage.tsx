import { DeviceRegisterSchema, LANGUAGES, type Language } from '@beckon/protocol';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { useApp, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { LANGUAGE_NAMES } from '../i18n/i18n.ts';
import type { NotifyPermission } from '../notify/notifier.ts';
import { CheckField, Field } from '../ui/Field.tsx';

/** Every IANA zone the browser knows, with the current one first if it is unusual. */
function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** The agent's own choices on this computer: language, time zone, notifications, device. */
export function SettingsPage() {
  const t = useT();
  const { notifier } = useServices();
  const prefs = useApp((s) => s.prefs);
  const setPrefs = useApp((s) => s.setPrefs);
  const [permission, setPermission] = useState<NotifyPermission>(() => notifier.permission());
  const zones = useMemo(() => timeZones(prefs.timeZone), [prefs.timeZone]);

  const toggleNotifications = async (on: boolean) => {
    // Permission is asked from this click: browsers refuse prompts without one.
    const granted = on ? await notifier.requestPermission() : permission;
    setPermission(granted);
    setPrefs({ notifications: on && granted === 'granted' });
  };

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <Field label={t('settings.language')}>
        {(p) => (
          <select
            {...p}
            value={prefs.language}
            onChange={(e) => setPrefs({ language: e.target.value as Language })}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('settings.timeZone')}>
        {(p) => (
          <select {...p} value={prefs.timeZone} onChange={(e) => setPrefs({ timeZone: e.target.value })}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        )}
      </Field>
      <CheckField
        label={t('settings.notifications')}
        checked={prefs.notifications}
        onChange={(on) => void toggleNotifications(on)}
      />
      <CheckField
        label={t('settings.notifyQueues')}
        checked={prefs.notifyQueues}
        onChange={(notifyQueues) => setPrefs({ notifyQueues })}
      />
      {permission === 'denied' && <p className="field-error">{t('settings.notifyDenied')}</p>}
      {permission === 'unsupported' && <p className="field-error">{t('settings.notifyUnsupported')}</p>}
      {prefs.notifications && (
        <button
          type="button"
          onClick={() => notifier.show({ title: t('settings.testTitle'), body: t('settings.testBody') })}
        >
          {t('settings.notifyTest')}
        </button>
      )}
      <RegisterDevice />
    </section>
  );
}

/** Registers this browser or desktop app as the agent's device, so requests can be assigned to it. */
function RegisterDevice() {
  const t = useT();
  const { api, requests, toasts } = useServices();
  const platform = useApp((s) => s.platform);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name,
      platform:
        platform === 'win32'
          ? 'windows'
          : platform === 'darwin'
            ? 'macos'
            : platform === 'linux'
              ? 'linux'
              : 'web',
    };
    const parsed = DeviceRegisterSchema.safeParse(body);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? '');
    try {
      const device = await api.registerDevice(parsed.data);
      setError(null);
      setName('');
      toasts.getState().push(t('admin.created', { name: device.name }));
      void requests.getState().loadTargets();
    } catch (err) {
      setError(failureText(t, failureOf(err)));
    }
  };

  return (
    <form className="register-device" onSubmit={submit} noValidate>
      <h3>{t('devices.register')}</h3>
      <p className="field-hint">{t('devices.registerHint')}</p>
      <label htmlFor={id}>{t('devices.name')}</label>
      <input
        id={id}
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
        aria-invalid={Boolean(error)}
      />
      <button type="submit">{t('devices.registerSubmit')}</button>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
