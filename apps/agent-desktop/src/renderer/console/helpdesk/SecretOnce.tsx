import { useT } from '../app-context.ts';
import { copyText } from '../ui/clipboard.ts';

/** One form of the secret, with what it is for when there are several. */
export interface SecretForm {
  secret: string;
  /** Says what verifies with this form; left out when there is only one. */
  use?: string;
}

/**
 * A secret the broker shows exactly once (it keeps only a hash or the key): copy it now or
 * never. A webhook's key comes in two forms, one per signature scheme, so each gets its own copy button.
 */
export function SecretOnce({
  label,
  secret,
  more = [],
  onDone,
}: {
  label: string;
  secret: SecretForm;
  more?: readonly SecretForm[];
  onDone: () => void;
}) {
  const t = useT();
  return (
    <div className="secret-once" role="alert" aria-label={label}>
      <p>
        <strong>{label}</strong> {t('helpdesk.secretOnce')}
      </p>
      {[secret, ...more].map((form, i) => (
        <div key={i} className="secret-form">
          {form.use && <p className="sub">{form.use}</p>}
          <code className="secret" data-testid={i === 0 ? 'secret' : `secret-${i + 1}`}>
            {form.secret}
          </code>
          <button
            type="button"
            onClick={() => void copyText(form.secret)}
            aria-label={form.use ? `${t('helpdesk.copySecret')}: ${form.use}` : undefined}
          >
            {t('helpdesk.copySecret')}
          </button>
        </div>
      ))}
      <div className="actions">
        <button type="button" onClick={onDone}>
          {t('helpdesk.secretStored')}
        </button>
      </div>
    </div>
  );
}
