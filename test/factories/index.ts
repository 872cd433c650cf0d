export * from './account.factory';
export * from './edition.factory';
