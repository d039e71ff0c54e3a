import type { SessionRequestCreate } from '@beckon/protocol';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useApp, useRequests, useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { Dialog } from '../ui/Dialog.tsx';
import {
  checkCreate,
  fieldErrors,
  type AssignChoice,
  type Context,
  type FieldErrors,
} from './create-form.ts';

/**
 * Validates with the protocol's schema, sends, and places the broker's field
 * errors (`details.issues`) next to their fields; other failures go on top.
 */
export function useCreateSubmit(onDone: () => void) {
  const t = useT();
  const { requests, toasts } = useServices();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  const submit = async (body: SessionRequestCreate) => {
    const checked = checkCreate(body);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setPending(true);
    const result = await requests.getState().create(checked.body);
    setPending(false);
    if (result.ok) {
      toasts
        .getState()
        .push(t('create.created', { name: result.value.recipientName, code: result.value.displayCode }));
      onDone();
      return;
    }
    const fields = fieldErrors(result.failure.issues);
    const placed = Object.keys(fields).some((f) => f !== 'form');
    setErrors({ ...fields, form: fields.form ?? (placed ? undefined : failureText(t, result.failure)) });
  };

  return { errors, pending, submit };
}

/**
 * A create dialog's form state: its values from `empty`, `edit` to change some,
 * and what its `CreateDialog` takes (`dialog`), whose submit sends `toBody` of
 * them in the agent's language and zone.
 */
export function useCreateForm<F>(
  empty: (ctx: Context) => F,
  toBody: (form: F, ctx: Context) => SessionRequestCreate,
  onClose: () => void,
) {
  const language = useApp((s) => s.prefs.language);
  const timeZone = useApp((s) => s.prefs.timeZone);
  const [form, setForm] = useState<F>(() => empty({ language, timeZone }));
  const { errors, pending, submit } = useCreateSubmit(onClose);
  const edit = (change: Partial<F>) => setForm((f) => ({ ...f, ...change }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(toBody(form, { language, timeZone }));
  };
  const dialog = { onClose, onSubmit, pending, formError: errors.form };
  return { form, edit, errors, timeZone, dialog };
}

/** A create dialog: the general error on top, the dialog's fields, then its buttons. */
export function CreateDialog({
  title,
  onClose,
  onSubmit,
  pending,
  formError,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: (e: FormEvent) => void;
  pending: boolean;
  formError: string | undefined;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="create-form" onSubmit={onSubmit} noValidate>
        <FormError message={formError} />
        {children}
        <DialogButtons pending={pending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** The general error of a form: everything that has no field of its own. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

const CHOICE_LABELS: Record<AssignChoice, MessageKey> = {
  me: 'assign.me',
  unassigned: 'assign.unassigned',
  device: 'assign.device',
  queue: 'assign.queue',
};

/** "Assign to": a choice, and for a device or queue the one to pick. */
export function AssignField<C extends AssignChoice>({
  choices,
  choice,
  targetId,
  error,
  onChange,
}: {
  choices: readonly C[];
  choice: C;
  targetId: string;
  error: string | undefined;
  onChange: (choice: C, targetId: string) => void;
}) {
  const t = useT();
  const devices = useRequests((s) => s.devices);
  const queues = useRequests((s) => s.queues);
  const name = useId();
  const targets = choice === 'device' ? devices : choice === 'queue' ? queues : [];
  return (
    <fieldset className={error ? 'field assign has-error' : 'field assign'}>
      <legend>{t('field.assignTo')}</legend>
      <div className="choices">
        {choices.map((c) => (
          <label key={c}>
            <input
              type="radio"
              name={name}
              value={c}
              checked={choice === c}
              disabled={(c === 'device' && devices.length === 0) || (c === 'queue' && queues.length === 0)}
              onChange={() => onChange(c, '')}
            />
            {t(CHOICE_LABELS[c])}
          </label>
        ))}
      </div>
      {(choice === 'device' || choice === 'queue') && (
        <select
          aria-label={t(choice === 'device' ? 'field.device' : 'field.queue')}
          value={targetId}
          aria-invalid={Boolean(error)}
          onChange={(e) => onChange(choice, e.target.value)}
        >
          <option value="">{t('field.choose')}</option>
          {targets.map((target) => (
            <option key={target.id} value={target.id}>
              {target.name}
            </option>
          ))}
        </select>
      )}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

export function DialogButtons({ pending, onCancel }: { pending: boolean; onCancel: () => void }) {
  const t = useT();
  return (
    <div className="dialog-buttons">
      <button type="button" onClick={onCancel}>
        {t('create.cancel')}
      </button>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? t('create.pending') : t('create.submit')}
      </button>
    </div>
  );
}
