export * from './account.factory';
export * from './edition.factory';
export * from './programme.factory';
