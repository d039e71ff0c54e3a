import { NotificationSettingsSchema, type NotificationSettings } from '@beckon/protocol';
import type { NewMail, RequestRecord, Storage } from '../storage/types.ts';
import { fieldError, parseOrThrow } from './api-error.ts';
import { requireUser, type AuthContext } from './auth.ts';
import type { TemplateService } from './template-service.ts';

const DEFAULTS: NotificationSettings = NotificationSettingsSchema.parse({});

/**
 * Supporter notifications (SC5, SC11). Desktop notifications are the agent
 * app's (it reads `desktop` and listens on the live channel); mails are sent
 * from here, through the outbox, when the customer arrives: to the assigned
 * supporter, to the members of an assigned queue, and to the members of the
 * queues the supporter shares their notifications with, each only if they
 * asked for mail.
 */
export class NotificationService {
  private readonly storage: Storage;
  private readonly templates: TemplateService;
  private readonly now: () => Date;
  private readonly log: { warn(obj: object, msg: string): void };
  constructor(
    storage: Storage,
    templates: TemplateService,
    now: () => Date = () => new Date(),
    log: { warn(obj: object, msg: string): void } = { warn() {} },
  ) {
    this.storage = storage;
    this.templates = templates;
    this.now = now;
    this.log = log;
  }

  async get(ctx: AuthContext | null): Promise<NotificationSettings> {
    const auth = requireUser(ctx);
    return (await this.storage.notificationSettings.get(auth.user.id)) ?? DEFAULTS;
  }

  async put(ctx: AuthContext | null, input: unknown): Promise<NotificationSettings> {
    const auth = requireUser(ctx);
    const body = parseOrThrow(NotificationSettingsSchema, input);
    for (const [i, id] of body.shareWithQueueIds.entries()) {
      if (!(await this.storage.queues.get(auth.user.orgId, id)))
        throw fieldError(`shareWithQueueIds.${i}`, 'no such queue');
    }
    await this.storage.notificationSettings.put(auth.user.id, body, this.now().toISOString());
    return body;
  }

  /** The user ids to tell about a request's customer, before anyone's mail setting is applied. */
  private async audience(r: RequestRecord): Promise<string[]> {
    const s = this.storage;
    let owners: string[] = [];
    if (r.assigneeType === 'agent' && r.assigneeId) owners = [r.assigneeId];
    else if (r.assigneeType === 'device' && r.assigneeId) {
      const device = await s.devices.get(r.orgId, r.assigneeId);
      owners = device ? [device.userId] : [];
    } else if (r.assigneeType === 'queue' && r.assigneeId)
      return (await s.queues.get(r.orgId, r.assigneeId))?.memberIds ?? [];
    else if (r.createdBy.type === 'user' && r.createdBy.id) owners = [r.createdBy.id];
    const settings = await s.notificationSettings.ofUsers(owners);
    const shared = new Set(owners.flatMap((id) => settings.get(id)?.shareWithQueueIds ?? []));
    const members: string[] = [];
    for (const queueId of shared) members.push(...((await s.queues.get(r.orgId, queueId))?.memberIds ?? []));
    return [...new Set([...owners, ...members])];
  }

  /**
   * Looks up who gets a mail when this request's customer arrives; the mails
   * themselves are rendered inside the transaction that makes it `waiting`.
   */
  joinNotices = async (orgId: string, id: string): Promise<((r: RequestRecord) => NewMail[]) | null> => {
    // A notice must never stand in the way of the customer's arrival: failures are logged and skipped.
    try {
      const build = await this.noticesFor(orgId, id);
      if (!build) return null;
      return (r) => {
        try {
          return build(r);
        } catch (err) {
          this.log.warn({ err, requestId: id }, 'supporter notification not sent');
          return [];
        }
      };
    } catch (err) {
      this.log.warn({ err, requestId: id }, 'supporter notification not sent');
      return null;
    }
  };

  private async noticesFor(orgId: string, id: string): Promise<((r: RequestRecord) => NewMail[]) | null> {
    const record = await this.storage.requests.get(orgId, id);
    if (!record || record.status !== 'open') return null;
    const ids = await this.audience(record);
    const settings = await this.storage.notificationSettings.ofUsers(ids);
    const recipients: { email: string; name: string; language: NotificationSettings['language'] }[] = [];
    for (const userId of ids) {
      const s = settings.get(userId);
      if (!s?.email) continue;
      const user = await this.storage.users.byId(userId);
      if (user && !user.disabled && user.orgId === orgId)
        recipients.push({ email: user.email, name: user.name, language: s.language });
    }
    if (recipients.length === 0) return null;
    const render = await this.templates.noticeRenderer(
      orgId,
      recipients.map((r) => r.language),
    );
    const at = this.now().toISOString();
    return (r) =>
      recipients.map((to) => ({
        orgId,
        requestId: r.id,
        kind: 'customer_joined',
        to: to.email,
        language: to.language,
        createdAt: at,
        ...render(r, to),
      }));
  }
}
