export * from './call-format.entity';
export * from './call-theme.entity';
export * from './call.entity';
export * from './contributions.module';
export * from './proposal-speaker.entity';
export * from './proposal.entity';
export * from './proposal-state.machine';
