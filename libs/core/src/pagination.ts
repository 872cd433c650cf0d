export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function clampLimit(limit: number | undefined, max = 200, fallback = 50): number {
  if (!limit || !Number.isFinite(limit) || limit < 1) return fallback;
  return Math.min(Math.floor(limit), max);
}
