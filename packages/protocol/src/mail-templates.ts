import { z } from 'zod';
import { LanguageSchema, TimestampSchema, multiLine, singleLine } from './common.ts';

/**
 * Mail templates an admin edits (SC10): the customer's invite and the
 * supporter's "your customer is waiting" notification, per language, with
 * `{{name}}` parameters. Values are escaped when rendered, so a parameter
 * can never inject markup or headers.
 */
export const MailTemplateKindSchema = z.enum(['invite', 'customer_joined', 'adhoc_invite']);
export type MailTemplateKind = z.infer<typeof MailTemplateKindSchema>;

const COMMON = ['customerName', 'sessionCode', 'agentName', 'expiresAt', 'companyName'] as const;

/** The parameters each kind may use; anything else is refused when saved. */
export const TEMPLATE_PARAMETERS: Record<MailTemplateKind, readonly string[]> = {
  invite: [...COMMON, 'customerLink'],
  // The supporter gets the console link, not the customer's (which would let them join as the customer).
  customer_joined: [...COMMON, 'consoleLink', 'ticketId'],
  // Ad-hoc support (AH1): the install link and the security code, never the predefined password.
  adhoc_invite: ['userName', 'providerName', 'companyName', 'securityCode', 'installLink'],
};

/** `{{ name }}`: letters only, optional spaces inside the braces. */
export const TEMPLATE_PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export const MailTemplateBodySchema = z.strictObject({
  subject: singleLine(300),
  body: multiLine(10_000).refine((v) => v.trim().length > 0, 'must not be empty'),
});
export type MailTemplateBody = z.infer<typeof MailTemplateBodySchema>;

export const MailTemplateParamsSchema = z.strictObject({
  kind: MailTemplateKindSchema,
  language: LanguageSchema,
});

export const MailTemplateSchema = z.strictObject({
  kind: MailTemplateKindSchema,
  language: LanguageSchema,
  subject: z.string(),
  body: z.string(),
  /** False: the built-in text, shown here as a starting point. */
  custom: z.boolean(),
  parameters: z.array(z.string()),
  updatedAt: TimestampSchema.nullable(),
});
export type MailTemplate = z.infer<typeof MailTemplateSchema>;

export const MailTemplateListSchema = z.strictObject({ items: z.array(MailTemplateSchema) });

/** Renders a template (the given text, or the saved one) with sample or given values. */
export const MailTemplatePreviewSchema = z.strictObject({
  kind: MailTemplateKindSchema,
  language: LanguageSchema,
  subject: singleLine(300).optional(),
  body: multiLine(10_000).optional(),
  values: z.record(z.string().max(40), singleLine(500)).optional(),
});
export type MailTemplatePreview = z.infer<typeof MailTemplatePreviewSchema>;

export const RenderedMailSchema = z.strictObject({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});
export type RenderedMailPreview = z.infer<typeof RenderedMailSchema>;
