import nodemailer, { type Transporter } from 'nodemailer';
import type { ServiceDeps } from '../../infra/deps.js';
import type { MailAttachment } from '../../infra/outbox.js';
import { storeMail } from './mail.repo.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

/**
 * Sends mail through SMTP (`SMTP_URL`, nodemailer) or, when none is configured (the embedded
 * default), keeps it in the dev mailbox in the database, readable by the provider through
 * `GET /v1/dev/mailbox`: invitations and resets work out of the box. Called by the outbox after
 * commit, which retries a failed send (see `infra/outbox.ts`).
 */
export class Mailer {
  private readonly transport: Transporter | null;
  constructor(private readonly deps: Pick<ServiceDeps, 'db' | 'config' | 'log'>) {
    this.transport = deps.config.SMTP_URL ? nodemailer.createTransport(deps.config.SMTP_URL) : null;
  }

  get usesDevMailbox(): boolean {
    return this.transport === null;
  }

  async send(m: MailMessage): Promise<void> {
    if (!this.transport) {
      await storeMail(this.deps.db, m);
      return;
    }
    await this.transport.sendMail({
      from: this.deps.config.MAIL_FROM,
      to: m.to,
      subject: m.subject,
      text: m.text,
      ...(m.attachments && { attachments: m.attachments }),
    });
  }

  close(): void {
    this.transport?.close();
  }
}
