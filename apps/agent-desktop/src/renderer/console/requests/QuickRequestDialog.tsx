import { useT } from '../app-context.ts';
import { emptyQuickForm, quickBody } from './create-form.ts';
import { AssignField, CreateDialog, useCreateForm } from './create-dialog-parts.tsx';
import { CustomerFields } from './CustomerFields.tsx';

/** SR1, the agent app's quick request: who, assigned to whom, and optionally an invite. */
export function QuickRequestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { form, edit, errors, dialog } = useCreateForm(emptyQuickForm, quickBody, onClose);

  return (
    <CreateDialog title={t('create.quick.title')} {...dialog}>
      <CustomerFields
        values={form}
        errors={errors}
        onChange={edit}
        labels={{
          name: t('field.recipientName'),
          email: `${t('field.recipientEmail')} ${t('field.optional')}`,
          invite: t('field.sendInvite'),
        }}
        afterName={
          <AssignField
            choices={['me', 'device', 'queue'] as const}
            choice={form.assign}
            targetId={form.targetId}
            error={errors.assignee}
            onChange={(assign, targetId) => edit({ assign, targetId })}
          />
        }
      />
    </CreateDialog>
  );
}
