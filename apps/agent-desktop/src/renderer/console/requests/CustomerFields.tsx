import type { ReactNode } from 'react';
import { useT } from '../app-context.ts';
import { CheckField, Field } from '../ui/Field.tsx';
import type { FieldErrors, QuickForm, ScheduledForm } from './create-form.ts';

/** What both create dialogs ask about the customer: the fields their forms share. */
export type CustomerValues = Pick<
  QuickForm & ScheduledForm,
  'recipientName' | 'recipientEmail' | 'sendInvite' | 'comment'
>;

/**
 * The customer's name, email, "send the invite" and the comment, each with its
 * error next to it. The dialogs name them in their own words (`labels`) and put
 * their own fields between them (`afterName`, `afterInvite`), so each dialog's
 * order, and with it the tab order, stays its own.
 */
export function CustomerFields({
  values,
  errors,
  onChange,
  labels,
  afterName,
  afterInvite,
}: {
  values: CustomerValues;
  errors: FieldErrors;
  onChange: (change: Partial<CustomerValues>) => void;
  labels: { name: string; email: string; invite: string };
  afterName?: ReactNode;
  afterInvite?: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <Field label={labels.name} error={errors.recipientName}>
        {(p) => (
          <input
            {...p}
            name="recipientName"
            autoFocus
            maxLength={200}
            value={values.recipientName}
            onChange={(e) => onChange({ recipientName: e.target.value })}
          />
        )}
      </Field>
      {afterName}
      <Field label={labels.email} error={errors.recipientEmail}>
        {(p) => (
          <input
            {...p}
            name="recipientEmail"
            type="email"
            value={values.recipientEmail}
            onChange={(e) => onChange({ recipientEmail: e.target.value })}
          />
        )}
      </Field>
      <CheckField
        label={labels.invite}
        checked={values.sendInvite}
        onChange={(sendInvite) => onChange({ sendInvite })}
        error={errors.sendInvite}
      />
      {afterInvite}
      <Field label={`${t('field.comment')} ${t('field.optional')}`} error={errors.comment}>
        {(p) => (
          <textarea
            {...p}
            name="comment"
            rows={3}
            maxLength={2000}
            value={values.comment}
            onChange={(e) => onChange({ comment: e.target.value })}
          />
        )}
      </Field>
    </>
  );
}
