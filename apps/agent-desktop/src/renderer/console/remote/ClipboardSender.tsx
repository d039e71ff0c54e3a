import type { DataChannelMessage } from '@beckon/protocol';
import { useId, useState } from 'react';
import { useT } from '../app-context.ts';

/** The protocol's limit for one clipboard message. */
const MAX_CLIPBOARD = 100_000;

/**
 * Sends text to the remote clipboard. Reading the local clipboard needs a
 * permission some browsers never grant, so the text is shown to check and edit
 * before it leaves this computer.
 */
export function ClipboardSender({
  disabled,
  send,
}: {
  disabled: boolean;
  send(message: DataChannelMessage): void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const id = useId();

  const openPanel = async () => {
    setOpen(true);
    try {
      setText(await navigator.clipboard.readText());
    } catch {
      // Not allowed: the agent pastes into the box instead.
    }
  };

  if (!open)
    return (
      <button type="button" disabled={disabled} onClick={() => void openPanel()}>
        {t('remote.clipboard')}
      </button>
    );
  const tooLong = text.length > MAX_CLIPBOARD;
  return (
    <form
      className="clipboard-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (tooLong || disabled) return;
        send({ type: 'clipboard', text });
        setOpen(false);
      }}
    >
      <label htmlFor={id}>{t('remote.clipboardText')}</label>
      <textarea
        id={id}
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={tooLong}
      />
      {tooLong && <p className="field-error">{t('remote.clipboardTooLong', { max: MAX_CLIPBOARD })}</p>}
      <button type="submit" className="primary" disabled={tooLong || disabled}>
        {t('remote.clipboardSend')}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t('create.cancel')}
      </button>
    </form>
  );
}
