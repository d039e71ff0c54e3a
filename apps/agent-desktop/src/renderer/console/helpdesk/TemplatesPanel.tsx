import {
  LANGUAGES,
  MailTemplateKindSchema,
  TEMPLATE_PARAMETERS,
  type Language,
  type MailTemplateKind,
  type RenderedMailPreview,
} from '@beckon/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { failureOf, type ApiFailure } from '../api/http.ts';
import { problemsOfFailure, type Problems } from '../admin/admin-form.ts';
import { useServices, useT } from '../app-context.ts';
import { failureText } from '../i18n/failure-text.ts';
import { LANGUAGE_NAMES } from '../i18n/i18n.ts';
import { Field } from '../ui/Field.tsx';
import { insertParameter, unknownParameters } from './helpdesk-format.ts';

const KINDS = MailTemplateKindSchema.options;

/** Mail templates (SC10): per kind and language, with the parameters each allows, a preview and reset. */
export function TemplatesPanel() {
  const t = useT();
  const [kind, setKind] = useState<MailTemplateKind>('invite');
  const [language, setLanguage] = useState<Language>('en');
  return (
    <>
      <div className="template-pick">
        <label>
          {t('templates.kind')}{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as MailTemplateKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`templates.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('templates.language')}{' '}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Editor key={`${kind}/${language}`} kind={kind} language={language} />
    </>
  );
}

function Editor({ kind, language }: { kind: MailTemplateKind; language: Language }) {
  const t = useT();
  const { api, toasts } = useServices();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [custom, setCustom] = useState(false);
  const [loaded, setLoaded] = useState<ApiFailure | 'ok' | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [preview, setPreview] = useState<RenderedMailPreview | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const paramsId = useId();

  const show = (tpl: { subject: string; body: string; custom: boolean }) => {
    setSubject(tpl.subject);
    setBody(tpl.body);
    setCustom(tpl.custom);
  };
  useEffect(() => {
    let current = true;
    api.helpdesk.getTemplate(kind, language).then(
      (tpl) => current && (show(tpl), setLoaded('ok')),
      (error: unknown) => current && setLoaded(failureOf(error)),
    );
    return () => {
      current = false;
    };
  }, [api, kind, language]);

  const unknown = unknownParameters(kind, subject, body);
  const fail = (error: unknown) => {
    const failure = failureOf(error);
    setProblems(problemsOfFailure(failure, failureText(t, failure)));
  };
  const run = async (work: () => Promise<void>) => {
    try {
      await work();
      setProblems({});
    } catch (error) {
      fail(error);
    }
  };
  const save = () =>
    run(async () => {
      show(await api.helpdesk.saveTemplate(kind, language, { subject, body }));
      toasts.getState().push(t('templates.saved'));
    });
  const reset = () =>
    run(async () => {
      show(await api.helpdesk.resetTemplate(kind, language));
      setPreview(null);
      toasts.getState().push(t('templates.resetDone'));
    });
  const showPreview = () =>
    run(async () => setPreview(await api.helpdesk.previewTemplate({ kind, language, subject, body })));
  const insert = (name: string) => {
    const el = bodyRef.current;
    const next = insertParameter(
      body,
      name,
      el?.selectionStart ?? body.length,
      el?.selectionEnd ?? body.length,
    );
    setBody(next.text);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  };

  if (loaded === null) return <p>{t('admin.loading')}</p>;
  if (loaded !== 'ok')
    return (
      <p role="alert" className="error">
        {failureText(t, loaded)}
      </p>
    );
  return (
    <form
      className="admin-form template-editor"
      aria-label={t('templates.editor')}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <p className="muted">{custom ? t('templates.custom') : t('templates.builtIn')}</p>
      {problems['form'] && (
        <p className="form-error" role="alert">
          {problems['form']}
        </p>
      )}
      <Field label={t('templates.subject')} error={problems['subject']}>
        {(p) => <input {...p} value={subject} maxLength={300} onChange={(e) => setSubject(e.target.value)} />}
      </Field>
      <Field label={t('templates.body')} error={problems['body'] ?? problems['values']}>
        {(p) => (
          <textarea
            {...p}
            ref={bodyRef}
            rows={12}
            value={body}
            maxLength={10_000}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
      </Field>
      <div className="template-params" role="group" aria-labelledby={paramsId}>
        <span id={paramsId}>{t('templates.parameters')}</span>
        {TEMPLATE_PARAMETERS[kind].map((name) => (
          <button key={name} type="button" className="param" onClick={() => insert(name)}>
            {`{{${name}}}`}
          </button>
        ))}
      </div>
      {unknown.length > 0 && (
        <p className="field-error" role="alert" data-testid="unknown-parameters">
          {t('templates.unknown', { names: unknown.map((n) => `{{${n}}}`).join(', ') })}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary">
          {t('templates.save')}
        </button>
        <button type="button" onClick={() => void showPreview()}>
          {t('templates.preview')}
        </button>
        {custom && (
          <button type="button" onClick={() => void reset()}>
            {t('templates.reset')}
          </button>
        )}
      </div>
      {preview && (
        <section className="template-preview" aria-label={t('templates.preview')}>
          <h4>{t('templates.previewSubject', { subject: preview.subject })}</h4>
          <pre className="pre">{preview.text}</pre>
        </section>
      )}
    </form>
  );
}
