export * from './frab';
export * from './ical';
export * from './programme-json';
export * from './published';
