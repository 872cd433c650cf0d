import { CallFormat } from './call-format.entity';

/** The formats a new call starts with; organisers edit them afterwards. */
export const DEFAULT_FORMATS: readonly Pick<
  CallFormat,
  'defaultDurationMinutes' | 'key' | 'maxSpeakers' | 'minSpeakers' | 'nameEn' | 'nameFr'
>[] = [
  {
    key: 'atelier',
    nameFr: 'Atelier',
    nameEn: 'Workshop',
    defaultDurationMinutes: 90,
    minSpeakers: 1,
    maxSpeakers: 4,
  },
  {
    key: 'table-ronde',
    nameFr: 'Table ronde',
    nameEn: 'Round table',
    defaultDurationMinutes: 60,
    minSpeakers: 3,
    maxSpeakers: 6,
  },
  {
    key: 'temoignage',
    nameFr: 'Témoignage',
    nameEn: 'Testimony',
    defaultDurationMinutes: 20,
    minSpeakers: 1,
    maxSpeakers: 2,
  },
  {
    key: 'conference',
    nameFr: 'Conférence',
    nameEn: 'Talk',
    defaultDurationMinutes: 45,
    minSpeakers: 1,
    maxSpeakers: 2,
  },
];
