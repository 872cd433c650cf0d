export * from './audit-event.entity';
export * from './audit-log.service';
export * from './data-source-options';
export * from './database.module';
export * from './ensure-database';
export * from './notifications';
export * from './snake-naming.strategy';
export * from './transaction';
export { MIGRATIONS } from './migrations';
