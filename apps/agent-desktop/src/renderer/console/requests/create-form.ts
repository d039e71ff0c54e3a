import {
  SessionRequestCreateSchema,
  parseWith,
  type AssigneeInput,
  type FieldIssue,
  type Language,
  type SessionRequestCreate,
} from '@beckon/protocol';
import { wallTimeToIso } from '../settings/zoned-time.ts';

/**
 * The two create dialogs (SR1 on the desktop, SR2 in the console) as plain
 * form state, turned into the protocol's create body and validated with the
 * protocol's schema before anything is sent.
 */
export type AssignChoice = 'me' | 'unassigned' | 'device' | 'queue';

/** SR1: recipient name, assign to me / a device / a queue, email, send invite, comment. */
export interface QuickForm {
  recipientName: string;
  assign: 'me' | 'device' | 'queue';
  targetId: string;
  recipientEmail: string;
  sendInvite: boolean;
  comment: string;
}

/** SR2: adds email language, schedule and expiry; assigns to unassigned / device / queue. */
export interface ScheduledForm {
  recipientName: string;
  recipientEmail: string;
  sendInvite: boolean;
  language: Language;
  comment: string;
  /** `YYYY-MM-DDTHH:mm` on the agent's wall clock, or ''. */
  scheduledAt: string;
  expiresAt: string;
  assign: 'unassigned' | 'device' | 'queue';
  targetId: string;
}

/** The fields a problem can be shown next to; `form` is for the rest. */
export type FormField =
  | 'recipientName'
  | 'recipientEmail'
  | 'sendInvite'
  | 'language'
  | 'comment'
  | 'scheduledAt'
  | 'expiresAt'
  | 'assignee'
  | 'form';

export type FieldErrors = Partial<Record<FormField, string>>;

export interface Context {
  /** The agent's language: the quick dialog mails in it. */
  readonly language: Language;
  /** The agent's time zone: wall times are read in it, and mails show times in it. */
  readonly timeZone: string;
}

export function emptyQuickForm(): QuickForm {
  return {
    recipientName: '',
    assign: 'me',
    targetId: '',
    recipientEmail: '',
    sendInvite: false,
    comment: '',
  };
}

export function emptyScheduledForm(language: Language): ScheduledForm {
  return {
    recipientName: '',
    recipientEmail: '',
    sendInvite: true,
    language,
    comment: '',
    scheduledAt: '',
    expiresAt: '',
    assign: 'unassigned',
    targetId: '',
  };
}

function assignee(choice: AssignChoice, targetId: string): AssigneeInput {
  if (choice === 'device' || choice === 'queue') return { type: choice, id: targetId };
  return { type: choice };
}

const optional = (text: string) => (text.trim() ? text.trim() : undefined);

/** A wall time in the agent zone as an instant; text that is no time is passed on for the schema to refuse. */
const instant = (wall: string, timeZone: string) =>
  wall.trim() ? (wallTimeToIso(wall, timeZone) ?? wall) : undefined;

export function quickBody(form: QuickForm, ctx: Context): SessionRequestCreate {
  return {
    recipientName: form.recipientName,
    recipientEmail: optional(form.recipientEmail),
    sendInvite: form.sendInvite,
    language: ctx.language,
    comment: optional(form.comment),
    assignee: assignee(form.assign, form.targetId),
    timeZone: ctx.timeZone,
  };
}

export function scheduledBody(form: ScheduledForm, ctx: Context): SessionRequestCreate {
  return {
    recipientName: form.recipientName,
    recipientEmail: optional(form.recipientEmail),
    sendInvite: form.sendInvite,
    language: form.language,
    comment: optional(form.comment),
    scheduledAt: instant(form.scheduledAt, ctx.timeZone),
    expiresAt: instant(form.expiresAt, ctx.timeZone),
    assignee: assignee(form.assign, form.targetId),
    timeZone: ctx.timeZone,
  };
}

/** Where an issue path (`assignee.id`, `recipientEmail`) is shown. */
export function fieldOf(path: string): FormField {
  const head = path.split('.')[0] ?? '';
  const known: readonly FormField[] = [
    'recipientName',
    'recipientEmail',
    'sendInvite',
    'language',
    'comment',
    'scheduledAt',
    'expiresAt',
    'assignee',
  ];
  return (known as readonly string[]).includes(head) ? (head as FormField) : 'form';
}

/** The first issue of each field (one message per field is enough to act on). */
export function fieldErrors(issues: readonly FieldIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    errors[field] ??= issue.message;
  }
  return errors;
}

export type Checked = { ok: true; body: SessionRequestCreate } | { ok: false; errors: FieldErrors };

/** The protocol's own schema decides, so the dialog refuses exactly what the broker would. */
export function checkCreate(body: SessionRequestCreate): Checked {
  const parsed = parseWith(SessionRequestCreateSchema, body);
  if (parsed.ok) return { ok: true, body };
  return { ok: false, errors: fieldErrors(parsed.error.issues) };
}
