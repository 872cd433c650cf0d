export * from './delivery-policy';
export * from './mail-delivery.service';
export * from './mail-outbox.service';
export * from './mail-suppression.entity';
export * from './mail-templates';
export * from './mail.module';
export * from './outbox-message.entity';
export * from './unsubscribe';
