import { LANGUAGES, type Language } from '@beckon/protocol';
import { useT } from '../app-context.ts';
import { LANGUAGE_NAMES } from '../i18n/i18n.ts';
import { Field } from '../ui/Field.tsx';
import { emptyScheduledForm, scheduledBody } from './create-form.ts';
import { AssignField, CreateDialog, useCreateForm } from './create-dialog-parts.tsx';
import { CustomerFields } from './CustomerFields.tsx';

/** SR2, the web console's request: adds the email language, a schedule and an expiry. */
export function ScheduledRequestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { form, edit, errors, timeZone, dialog } = useCreateForm(
    (ctx) => emptyScheduledForm(ctx.language),
    scheduledBody,
    onClose,
  );
  const zoneHint = t('field.timeZoneHint', { timeZone });

  return (
    <CreateDialog title={t('create.scheduled.title')} {...dialog}>
      <CustomerFields
        values={form}
        errors={errors}
        onChange={edit}
        labels={{ name: t('field.userName'), email: t('field.userEmail'), invite: t('field.sendEmail') }}
        afterInvite={
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
        }
      />
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
    </CreateDialog>
  );
}
