export * from './conflicts';
export * from './model';
export * from './scheduler';
export * from './snapshot';
