import { LANGUAGES, type Language } from '@beckon/protocol';
import { useState, type FormEvent } from 'react';
import { useApp, useT } from '../app-context.ts';
import { LANGUAGE_NAMES } from '../i18n/i18n.ts';
import { CheckField, Field } from '../ui/Field.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { emptyScheduledForm, scheduledBody, type ScheduledForm } from './create-form.ts';
import { AssignField, DialogButtons, FormError, useCreateSubmit } from './create-dialog-parts.tsx';

/** SR2, the web console's request: adds the email language, a schedule and an expiry. */
export function ScheduledRequestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const language = useApp((s) => s.prefs.language);
  const timeZone = useApp((s) => s.prefs.timeZone);
  const [form, setForm] = useState<ScheduledForm>(() => emptyScheduledForm(language));
  const { errors, pending, submit } = useCreateSubmit(onClose);
  const edit = (change: Partial<ScheduledForm>) => setForm((f) => ({ ...f, ...change }));
  const zoneHint = t('field.timeZoneHint', { timeZone });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(scheduledBody(form, { language, timeZone }));
  };

  return (
    <Dialog title={t('create.scheduled.title')} onClose={onClose}>
      <form className="create-form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.form} />
        <Field label={t('field.userName')} error={errors.recipientName}>
          {(p) => (
            <input
              {...p}
              name="recipientName"
              autoFocus
              maxLength={200}
              value={form.recipientName}
              onChange={(e) => edit({ recipientName: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('field.userEmail')} error={errors.recipientEmail}>
          {(p) => (
            <input
              {...p}
              name="recipientEmail"
              type="email"
              value={form.recipientEmail}
              onChange={(e) => edit({ recipientEmail: e.target.value })}
            />
          )}
        </Field>
        <CheckField
          label={t('field.sendEmail')}
          checked={form.sendInvite}
          onChange={(sendInvite) => edit({ sendInvite })}
          error={errors.sendInvite}
        />
        <Field label={t('field.language')} error={errors.language}>
          {(p) => (
            <select
              {...p}
              name="language"
              value={form.language}
              onChange={(e) => edit({ language: e.target.value as Language })}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={`${t('field.comment')} ${t('field.optional')}`} error={errors.comment}>
          {(p) => (
            <textarea
              {...p}
              name="comment"
              rows={3}
              maxLength={2000}
              value={form.comment}
              onChange={(e) => edit({ comment: e.target.value })}
            />
          )}
        </Field>
        <div className="field-row">
          <Field
            label={`${t('field.schedule')} ${t('field.optional')}`}
            hint={zoneHint}
            error={errors.scheduledAt}
          >
            {(p) => (
              <input
                {...p}
                name="scheduledAt"
                type="datetime-local"
                value={form.scheduledAt}
                onChange={(e) => edit({ scheduledAt: e.target.value })}
              />
            )}
          </Field>
          <Field
            label={`${t('field.expiry')} ${t('field.optional')}`}
            hint={t('field.expiryHint')}
            error={errors.expiresAt}
          >
            {(p) => (
              <input
                {...p}
                name="expiresAt"
                type="datetime-local"
                value={form.expiresAt}
                onChange={(e) => edit({ expiresAt: e.target.value })}
              />
            )}
          </Field>
        </div>
        <AssignField
          choices={['unassigned', 'device', 'queue'] as const}
          choice={form.assign}
          targetId={form.targetId}
          error={errors.assignee}
          onChange={(assign, targetId) => edit({ assign, targetId })}
        />
        <DialogButtons pending={pending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
