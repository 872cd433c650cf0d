/** A count with its labels, for the edition report. */
export interface LabelledCount {
  key: string;
  labelFr: string;
  labelEn: string;
  count: number;
}

/** The programme as it was last published, for the report. */
export interface ProgrammeRecord {
  /** False when no version was ever published (then everything else is empty). */
  published: boolean;
  versionName: string;
  sessions: number;
  speakers: number;
  /** Sessions by kind (atelier, plénière…); labels left empty: the pages translate the key. */
  byKind: LabelledCount[];
  /** Sessions by theme; `key = ''` for sessions without a theme. */
  byTheme: LabelledCount[];
}

export interface FormatRecord {
  key: string;
  labelFr: string;
  labelEn: string;
  /** Proposals sent (submitted, kept as backup, accepted, confirmed or rejected). */
  received: number;
  /** Accepted or confirmed. */
  accepted: number;
}

/** The call for contributions, for the report. */
export interface ContributionsRecord {
  received: number;
  accepted: number;
  byFormat: FormatRecord[];
  /** Distinct speakers by stakeholder type: of the proposals received, of those accepted. */
  speakersByStakeholder: { key: string; received: number; accepted: number }[];
}

/**
 * Ports through which the edition report reads the programme and the call for contributions,
 * filled from `@assises/programme` and `@assises/contributions` by the adapters of this lib
 * (`edition-record.adapters.ts`); the report service itself knows neither lib.
 */
export abstract class ProgrammeRecordSource {
  abstract programmeOf(editionId: string): Promise<ProgrammeRecord>;
}

export abstract class ContributionsRecordSource {
  abstract contributionsOf(editionId: string): Promise<ContributionsRecord>;
}
