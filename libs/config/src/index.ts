export * from './app-config';
export * from './config.module';
export { EnvironmentVariables } from './env.schema';
