import { useT } from '../app-context.ts';
import { copyText } from '../ui/clipboard.ts';

/** A secret the broker shows exactly once (it keeps only a hash): copy it now or never. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const t = useT();
  return (
    <div className="secret-once" role="alert" aria-label={label}>
      <p>
        <strong>{label}</strong> {t('helpdesk.secretOnce')}
      </p>
      <code className="secret" data-testid="secret">
        {secret}
      </code>
      <div className="actions">
        <button type="button" onClick={() => void copyText(secret)}>
          {t('helpdesk.copySecret')}
        </button>
        <button type="button" onClick={onDone}>
          {t('helpdesk.secretStored')}
        </button>
      </div>
    </div>
  );
}
