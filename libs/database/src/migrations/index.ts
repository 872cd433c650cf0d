import { CreateFoundation1764400000000 } from './1764400000000-create-foundation';

/** Every migration, in order. A new migration is added here by hand, after review. */
export const MIGRATIONS = [CreateFoundation1764400000000];
