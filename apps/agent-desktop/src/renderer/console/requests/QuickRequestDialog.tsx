import { useState, type FormEvent } from 'react';
import { useApp, useT } from '../app-context.ts';
import { CheckField, Field } from '../ui/Field.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { emptyQuickForm, quickBody, type QuickForm } from './create-form.ts';
import { AssignField, DialogButtons, FormError, useCreateSubmit } from './create-dialog-parts.tsx';

/** SR1, the agent app's quick request: who, assigned to whom, and optionally an invite. */
export function QuickRequestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const language = useApp((s) => s.prefs.language);
  const timeZone = useApp((s) => s.prefs.timeZone);
  const [form, setForm] = useState<QuickForm>(emptyQuickForm);
  const { errors, pending, submit } = useCreateSubmit(onClose);
  const edit = (change: Partial<QuickForm>) => setForm((f) => ({ ...f, ...change }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(quickBody(form, { language, timeZone }));
  };

  return (
    <Dialog title={t('create.quick.title')} onClose={onClose}>
      <form className="create-form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.form} />
        <Field label={t('field.recipientName')} error={errors.recipientName}>
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
        <AssignField
          choices={['me', 'device', 'queue'] as const}
          choice={form.assign}
          targetId={form.targetId}
          error={errors.assignee}
          onChange={(assign, targetId) => edit({ assign, targetId })}
        />
        <Field label={`${t('field.recipientEmail')} ${t('field.optional')}`} error={errors.recipientEmail}>
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
          label={t('field.sendInvite')}
          checked={form.sendInvite}
          onChange={(sendInvite) => edit({ sendInvite })}
          error={errors.sendInvite}
        />
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
        <DialogButtons pending={pending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
