export * from './clock';
export * from './domain-error';
export * from './locale';
export * from './pagination';
export * from './state-machine';
export * from './tokens';
export * from './stakeholders';
