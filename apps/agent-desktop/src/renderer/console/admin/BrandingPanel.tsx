import { BrandingUpdateSchema, DEFAULT_BRAND_COLOR, type Branding } from '@beckon/protocol';
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { failureOf } from '../api/http.ts';
import { useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { Field } from '../ui/Field.tsx';
import { useLoad } from '../ui/use-load.ts';
import { check, problemsOfFailure, type Problems } from './admin-form.ts';
import { checkLogo, previewColor } from './branding-form.ts';
import './branding.css';

interface Draft {
  displayName: string;
  color: string;
  message: string;
}

const draftOf = (b: Branding): Draft => ({
  displayName: b.displayName ?? '',
  color: b.color,
  message: b.message ?? '',
});

/**
 * Branding (SC9): the organisation's name, colour, message and logo as the
 * customer's landing page and the assist client show them, with a preview
 * that follows every keystroke before anything is saved.
 */
export function BrandingPanel() {
  const t = useT();
  const { api, toasts } = useServices();
  const loaded = useLoad(() => api.branding.get());
  const [saved, setSaved] = useState<Branding | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [logoPreview, setLogoPreview] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const current = saved ?? loaded.data;

  useEffect(() => {
    if (loaded.data && !draft) setDraft(draftOf(loaded.data));
  }, [loaded.data, draft]);

  if (loaded.error && !current)
    return (
      <p role="alert" className="error">
        {failureText(t, loaded.error)}
      </p>
    );
  if (!current || !draft) return <p>{t('admin.loading')}</p>;

  const fail = (error: unknown) => {
    const failure = failureOf(error);
    setProblems(problemsOfFailure(failure, failureText(t, failure)));
  };
  const took = (b: Branding) => {
    setSaved(b);
    setProblems({});
    toasts.getState().push(t('branding.saved'));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = check(BrandingUpdateSchema, {
      displayName: draft.displayName.trim() || null,
      color: draft.color,
      message: draft.message.trim() || null,
    });
    if (!checked.ok) return setProblems(checked.problems);
    try {
      took(await api.branding.save(checked.value));
    } catch (error) {
      fail(error);
    }
  };

  const pickLogo = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const logo = await checkLogo(file);
    if (!logo.ok)
      return setProblems({ logo: t(logo.problem === 'type' ? 'branding.logoType' : 'branding.logoSize') });
    try {
      const b = await api.branding.uploadLogo(logo.type, logo.base64);
      setLogoPreview(logo.dataUrl);
      took(b);
    } catch (error) {
      fail(error);
    }
  };

  const removeLogo = async () => {
    try {
      const b = await api.branding.removeLogo();
      setLogoPreview(null);
      took(b);
    } catch (error) {
      fail(error);
    }
  };

  const set = (field: keyof Draft) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setDraft({ ...draft, [field]: e.target.value });
  const color = previewColor(draft.color, DEFAULT_BRAND_COLOR);
  const orgName = draft.displayName.trim() || current.organisation;
  const logo = logoPreview ?? current.logoUrl;

  return (
    <div className="branding">
      <form className="admin-form" onSubmit={submit} noValidate aria-label={t('admin.branding')}>
        {problems['form'] && (
          <p className="form-error" role="alert">
            {problems['form']}
          </p>
        )}
        <Field
          label={t('branding.displayName')}
          hint={t('branding.displayNameHint')}
          error={problems['displayName']}
        >
          {(p) => <input {...p} value={draft.displayName} maxLength={200} onChange={set('displayName')} />}
        </Field>
        <Field label={t('branding.color')} error={problems['color']}>
          {(p) => (
            <span className="color-field">
              <input {...p} value={draft.color} maxLength={7} onChange={set('color')} />
              <input type="color" aria-label={t('branding.color')} value={color} onChange={set('color')} />
            </span>
          )}
        </Field>
        <Field label={t('branding.message')} hint={t('branding.messageHint')} error={problems['message']}>
          {(p) => (
            <textarea {...p} value={draft.message} maxLength={1000} rows={3} onChange={set('message')} />
          )}
        </Field>
        <Field
          label={t('branding.logo')}
          hint={t('branding.logoHint')}
          error={problems['logo'] ?? problems['data']}
        >
          {(p) => (
            <input
              {...p}
              type="file"
              accept="image/png,image/jpeg,image/webp"
              onChange={(e) => void pickLogo(e)}
            />
          )}
        </Field>
        {current.logoUrl && (
          <button type="button" onClick={() => void removeLogo()}>
            {t('branding.removeLogo')}
          </button>
        )}
        <button type="submit" className="primary">
          {t('branding.save')}
        </button>
      </form>
      <section className="branding-preview" aria-label={t('branding.preview')}>
        <h4>{t('branding.preview')}</h4>
        <div className="preview-page" data-testid="branding-preview">
          <div className="preview-header" style={{ background: color }}>
            {logo && <img src={logo} alt="" className="preview-logo" />}
            <span className="preview-org">{orgName}</span>
          </div>
          <div className="preview-body">
            <strong>{t('branding.previewTitle', { org: orgName })}</strong>
            {draft.message.trim() && (
              <p className="preview-message" style={{ borderColor: color }}>
                {draft.message.trim()}
              </p>
            )}
            <span className="preview-button" style={{ background: color }}>
              {t('branding.previewDownload')}
            </span>
          </div>
        </div>
      </section>
    </div>
  );
}
