import {
  AuditAction,
  consoleLink,
  customerLink,
  ErrorCode,
  formatSessionCode,
  LANGUAGES,
  MailTemplateBodySchema,
  MailTemplateKindSchema,
  MailTemplateParamsSchema,
  MailTemplatePreviewSchema,
  TEMPLATE_PARAMETERS,
  type Language,
  type MailTemplate,
  type MailTemplateKind,
  type RenderedMailPreview,
} from '@beckon/protocol';
import {
  defaultTemplate,
  renderTemplate,
  sampleValues,
  templateProblems,
  type TemplateText,
} from '../mail/custom-templates.ts';
import { formatInstant } from '../mail/templates.ts';
import type { StoredTemplate } from '../storage/helpdesk-types.ts';
import type { NewMail, RequestRecord, Storage } from '../storage/types.ts';
import { ApiError, parseOrThrow } from './api-error.ts';
import { inviteToRecipient } from './mails.ts';
import { requireAdmin, type AuthContext } from './auth.ts';
import { userDraft } from './audit-rules.ts';
import { linkTokenOf, type ReadModelContext } from './read-model.ts';
import type { InviteContext } from './request-service.ts';

/** Mail templates (SC10): admins edit them per kind and language; mails use them when they exist. */
export class TemplateService {
  private readonly rm: ReadModelContext;
  private readonly storage: Storage;
  private readonly now: () => Date;
  constructor(rm: ReadModelContext, now: () => Date = () => new Date()) {
    this.rm = rm;
    this.storage = rm.storage;
    this.now = now;
  }

  /** Every kind in every language: the saved text, or the built-in one as a starting point. */
  async list(ctx: AuthContext | null): Promise<{ items: MailTemplate[] }> {
    const auth = requireAdmin(ctx);
    const saved = await this.storage.mailTemplates.list(auth.user.orgId);
    const items: MailTemplate[] = [];
    for (const kind of MailTemplateKindSchema.options)
      for (const language of LANGUAGES)
        items.push(
          shown(kind, language, saved.find((t) => t.kind === kind && t.language === language) ?? null),
        );
    return { items };
  }

  async get(ctx: AuthContext | null, params: unknown): Promise<MailTemplate> {
    const auth = requireAdmin(ctx);
    const { kind, language } = parseOrThrow(MailTemplateParamsSchema, params);
    return shown(kind, language, await this.storage.mailTemplates.get(auth.user.orgId, kind, language));
  }

  /** Saves a template; a parameter its kind does not have is refused, naming the ones it has. */
  async put(ctx: AuthContext | null, params: unknown, input: unknown): Promise<MailTemplate> {
    const auth = requireAdmin(ctx);
    const { kind, language } = parseOrThrow(MailTemplateParamsSchema, params);
    const body = parseOrThrow(MailTemplateBodySchema, input);
    this.check(kind, body);
    const stored: StoredTemplate = { kind, language, ...body, updatedAt: this.now().toISOString() };
    const target = { type: 'mail_template', id: `${kind}/${language}` };
    await this.storage.mailTemplates.put(auth.user.orgId, stored, auth.user.id, [
      userDraft(
        auth,
        AuditAction.TEMPLATE_CHANGED,
        target,
        { subject: body.subject, body: body.body },
        this.now(),
      ),
    ]);
    return shown(kind, language, stored);
  }

  /** Back to the built-in text. */
  async reset(ctx: AuthContext | null, params: unknown): Promise<MailTemplate> {
    const auth = requireAdmin(ctx);
    const { kind, language } = parseOrThrow(MailTemplateParamsSchema, params);
    await this.storage.mailTemplates.remove(auth.user.orgId, kind, language, [
      userDraft(
        auth,
        AuditAction.TEMPLATE_RESET,
        { type: 'mail_template', id: `${kind}/${language}` },
        {},
        this.now(),
      ),
    ]);
    return shown(kind, language, null);
  }

  /** Renders the given text (or the saved one) with sample values, or the values given. */
  async preview(ctx: AuthContext | null, input: unknown): Promise<RenderedMailPreview> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(MailTemplatePreviewSchema, input);
    const saved = await this.textOf(auth.user.orgId, body.kind, body.language);
    const text = { subject: body.subject ?? saved.subject, body: body.body ?? saved.body };
    this.check(body.kind, text);
    const unknown = Object.keys(body.values ?? {}).filter((k) => !TEMPLATE_PARAMETERS[body.kind].includes(k));
    if (unknown.length)
      throw new ApiError(
        400,
        ErrorCode.VALIDATION_FAILED,
        `values: unknown parameter ${unknown.join(', ')}`,
        {
          issues: unknown.map((k) => ({ path: `values.${k}`, message: 'unknown parameter' })),
        },
      );
    return renderTemplate(body.language, text, { ...sampleValues(body.kind), ...body.values });
  }

  /** The invite from the organisation's own template, or null to use the built-in one. */
  renderInvite = async (r: RequestRecord, p: InviteContext): Promise<NewMail | null> => {
    const saved = await this.storage.mailTemplates.get(r.orgId, 'invite', r.language);
    if (!saved) return null;
    const rendered = renderTemplate(r.language, saved, {
      customerName: r.recipientName,
      sessionCode: formatSessionCode(r.code),
      customerLink: customerLink(this.rm.publicUrl, linkTokenOf(this.rm, r)),
      agentName: p.agentName,
      expiresAt: formatInstant(r.expiresAt, r.language, r.timeZone),
      companyName: p.companyName,
    });
    return inviteToRecipient(r, p.at, rendered);
  };

  /** Loads the notification templates of the given languages once, for rendering inside a transaction. */
  async noticeRenderer(orgId: string, languages: Language[]) {
    const texts = new Map<Language, TemplateText>();
    for (const language of new Set(languages))
      texts.set(language, await this.textOf(orgId, 'customer_joined', language));
    const company = (await this.storage.orgs.get(orgId))?.name ?? 'Beckon';
    return (r: RequestRecord, to: { name: string; language: Language }) =>
      renderTemplate(to.language, texts.get(to.language) ?? defaultTemplate('customer_joined', to.language), {
        customerName: r.recipientName,
        sessionCode: formatSessionCode(r.code),
        agentName: to.name,
        expiresAt: formatInstant(r.expiresAt, to.language, r.timeZone),
        companyName: company,
        consoleLink: consoleLink(this.rm.publicUrl, r.id),
        ticketId: r.ticket?.ticketId ?? '—',
      });
  }

  private async textOf(orgId: string, kind: MailTemplateKind, language: Language): Promise<TemplateText> {
    return (await this.storage.mailTemplates.get(orgId, kind, language)) ?? defaultTemplate(kind, language);
  }

  private check(kind: MailTemplateKind, text: TemplateText): void {
    const issues = templateProblems(kind, text);
    if (issues.length)
      throw new ApiError(400, ErrorCode.VALIDATION_FAILED, `${issues[0]!.path}: ${issues[0]!.message}`, {
        issues,
      });
  }
}

function shown(kind: MailTemplateKind, language: Language, saved: StoredTemplate | null): MailTemplate {
  const text = saved ?? defaultTemplate(kind, language);
  return {
    kind,
    language,
    subject: text.subject,
    body: text.body,
    custom: saved !== null,
    parameters: [...TEMPLATE_PARAMETERS[kind]],
    updatedAt: saved?.updatedAt ?? null,
  };
}
