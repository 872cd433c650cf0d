export * from './job-producer';
export * from './jobs';
export * from './queue.module';
export * from './redis-options';
