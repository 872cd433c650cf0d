export * from './auto-assign';
export * from './criteria.service';
export * from './default-criteria';
export * from './dto/review.dto';
export * from './proposal-list.query';
export * from './review.errors';
export * from './review.service';
