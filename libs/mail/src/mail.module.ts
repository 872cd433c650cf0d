import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailDelivery } from './mail-delivery.service';
import { MailOutbox } from './mail-outbox.service';
import { MailSuppression } from './mail-suppression.entity';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';
import { OutboxMessage } from './outbox-message.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MailSuppression, OutboxMessage])],
  providers: [
    MailDelivery,
    MailOutbox,
    { provide: MailTemplates, useFactory: () => new MailTemplates() },
    MailTransport,
  ],
  exports: [MailDelivery, MailOutbox, MailTemplates],
})
export class MailModule {}
