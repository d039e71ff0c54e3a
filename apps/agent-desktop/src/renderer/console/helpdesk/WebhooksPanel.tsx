import {
  WEBHOOK_EVENT_TYPES,
  WebhookCreateSchema,
  type Webhook,
  type WebhookCreated,
  type WebhookDelivery,
  type WebhookEventType,
  type WebhookSigning,
} from '@beckon/protocol';
import { useState, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { check, problemsOfFailure, type Problems } from '../admin/admin-form.ts';
import { AdminTable } from '../admin/AdminTable.tsx';
import { useFormatTime, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { Field } from '../ui/Field.tsx';
import { useLoad } from '../ui/use-load.ts';
import { SecretOnce } from './SecretOnce.tsx';

/** Webhook endpoints (SC7): register with events, the signing secret once, deliveries and redelivery. */
export function WebhooksPanel() {
  const t = useT();
  const time = useFormatTime('short');
  const { api, toasts } = useServices();
  const hooks = useLoad(() => api.helpdesk.listWebhooks());
  const [secret, setSecret] = useState<WebhookCreated | null>(null);
  const [open, setOpen] = useState<Webhook | null>(null);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      hooks.reload();
    } catch (error) {
      toasts.getState().push(failureText(t, failureOf(error)), 'error');
    }
  };
  return (
    <>
      {secret && (
        <SecretOnce
          label={t('webhooks.secretFor', { url: secret.url })}
          secret={{ secret: secret.secret, use: t('webhooks.secretBeckon') }}
          more={[{ secret: secret.standardWebhooksSecret, use: t('webhooks.secretStandard') }]}
          onDone={() => setSecret(null)}
        />
      )}
      <AdminTable<Webhook>
        label={t('admin.webhooks')}
        loaded={hooks}
        rowKey={(w) => w.id}
        columns={[t('webhooks.url'), t('webhooks.events'), t('webhooks.state'), t('webhooks.last'), '']}
        row={(w) => [
          <>
            <code>{w.url}</code>
            {w.description && <span className="sub">{w.description}</span>}
            <span className="sub">{t(`webhooks.signing.${w.signing}`)}</span>
          </>,
          w.events.join(', '),
          w.active ? t('webhooks.active') : t('webhooks.paused'),
          w.lastDelivery ? (
            <span data-delivery-status={w.lastDelivery.status}>
              {t(`delivery.${w.lastDelivery.status}`)}
              {w.lastDelivery.statusCode !== null && ` (${w.lastDelivery.statusCode})`} ·{' '}
              {time(w.lastDelivery.at)}
            </span>
          ) : (
            t('webhooks.noDeliveries')
          ),
          <span className="actions compact">
            <button
              type="button"
              onClick={() => setOpen(open?.id === w.id ? null : w)}
              aria-expanded={open?.id === w.id}
            >
              {t('webhooks.deliveries')}
            </button>
            <button
              type="button"
              onClick={() => void act(() => api.helpdesk.patchWebhook(w.id, { active: !w.active }))}
            >
              {w.active ? t('webhooks.pause') : t('webhooks.resume')}
            </button>
            <button
              type="button"
              onClick={() => void act(async () => setSecret(await api.helpdesk.rotateWebhookSecret(w.id)))}
            >
              {t('webhooks.rotate')}
            </button>
          </span>,
        ]}
      />
      {open && <Deliveries key={open.id} hook={open} onChanged={hooks.reload} />}
      <NewWebhook
        onCreated={(created) => {
          setSecret(created);
          hooks.reload();
        }}
      />
    </>
  );
}

function Deliveries({ hook, onChanged }: { hook: Webhook; onChanged: () => void }) {
  const t = useT();
  const time = useFormatTime('short');
  const { api, toasts } = useServices();
  const list = useLoad(() => api.helpdesk.deliveries(hook.id));
  const redeliver = async (d: WebhookDelivery) => {
    try {
      await api.helpdesk.redeliver(hook.id, d.id);
      toasts.getState().push(t('webhooks.requeued'));
      list.reload();
      onChanged();
    } catch (error) {
      toasts.getState().push(failureText(t, failureOf(error)), 'error');
    }
  };
  return (
    <section className="deliveries" aria-label={t('webhooks.deliveriesOf', { url: hook.url })}>
      <h3>{t('webhooks.deliveriesOf', { url: hook.url })}</h3>
      <AdminTable<WebhookDelivery>
        label={t('webhooks.deliveries')}
        loaded={list}
        rowKey={(d) => d.id}
        columns={[
          t('webhooks.event'),
          t('webhooks.status'),
          t('webhooks.attempts'),
          t('webhooks.lastCode'),
          t('webhooks.lastError'),
          t('webhooks.createdAt'),
          t('webhooks.deliveredAt'),
          '',
        ]}
        row={(d) => [
          d.event,
          <span data-delivery-status={d.status}>{t(`delivery.${d.status}`)}</span>,
          d.attempts,
          d.lastStatusCode ?? '',
          d.lastError ?? '',
          time(d.createdAt),
          time(d.deliveredAt),
          d.status === 'failed' ? (
            <button type="button" onClick={() => void redeliver(d)}>
              {t('webhooks.redeliver')}
            </button>
          ) : (
            ''
          ),
        ]}
      />
    </section>
  );
}

function NewWebhook({ onCreated }: { onCreated: (created: WebhookCreated) => void }) {
  const t = useT();
  const { api } = useServices();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENT_TYPES]);
  const [signing, setSigning] = useState<WebhookSigning>('both');
  const [problems, setProblems] = useState<Problems>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      url: url.trim(),
      events,
      signing,
      ...(description.trim() ? { description: description.trim() } : {}),
    };
    const checked = check(WebhookCreateSchema, body);
    if (!checked.ok) return setProblems(checked.problems);
    try {
      const created = await api.helpdesk.createWebhook(checked.value);
      setProblems({});
      setUrl('');
      setDescription('');
      onCreated(created);
    } catch (error) {
      const failure = failureOf(error);
      setProblems(problemsOfFailure(failure, failureText(t, failure)));
    }
  };

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label={t('webhooks.add')}>
      <h3>{t('webhooks.add')}</h3>
      {problems['form'] && (
        <p className="form-error" role="alert">
          {problems['form']}
        </p>
      )}
      <Field label={t('webhooks.url')} hint={t('webhooks.urlHint')} error={problems['url']}>
        {(p) => (
          <input {...p} type="url" value={url} maxLength={2048} onChange={(e) => setUrl(e.target.value)} />
        )}
      </Field>
      <Field label={t('webhooks.description')} error={problems['description']}>
        {(p) => (
          <input
            {...p}
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <Field label={t('webhooks.signing')} hint={t('webhooks.signingHint')} error={problems['signing']}>
        {(p) => (
          <select {...p} value={signing} onChange={(e) => setSigning(e.target.value as WebhookSigning)}>
            <option value="both">{t('webhooks.signing.both')}</option>
            <option value="standard">{t('webhooks.signing.standard')}</option>
          </select>
        )}
      </Field>
      <fieldset className={problems['events'] ? 'field has-error' : 'field'}>
        <legend>{t('webhooks.events')}</legend>
        {WEBHOOK_EVENT_TYPES.map((ev) => (
          <label key={ev} className="member">
            <input
              type="checkbox"
              checked={events.includes(ev)}
              onChange={(e) => setEvents((l) => (e.target.checked ? [...l, ev] : l.filter((x) => x !== ev)))}
            />
            <code>{ev}</code>
          </label>
        ))}
        {problems['events'] && <p className="field-error">{problems['events']}</p>}
      </fieldset>
      <button type="submit" className="primary">
        {t('webhooks.create')}
      </button>
    </form>
  );
}
