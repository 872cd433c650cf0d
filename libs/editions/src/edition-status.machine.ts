import { StateMachine } from '@assises/core';
import { EditionStatus as S } from './edition.entity';

export type EditionTransition =
  | 'announce'
  | 'archive'
  | 'close'
  | 'open_call'
  | 'open_registration'
  | 'publish_programme'
  | 'start'
  | 'unannounce';

/**
 * The life of an edition. Real editions overlap phases (registration opens while the call is
 * still running), so later phases can be reached from any earlier public one; going back is
 * only possible from `announced` to `draft`.
 */
export const editionStatusMachine = new StateMachine<S, EditionTransition>('edition', {
  announce: { from: [S.Draft], to: S.Announced },
  unannounce: { from: [S.Announced], to: S.Draft },
  open_call: { from: [S.Announced], to: S.CfpOpen },
  publish_programme: { from: [S.Announced, S.CfpOpen], to: S.ProgrammePublished },
  open_registration: {
    from: [S.Announced, S.CfpOpen, S.ProgrammePublished],
    to: S.RegistrationOpen,
  },
  start: { from: [S.ProgrammePublished, S.RegistrationOpen], to: S.Running },
  close: { from: [S.RegistrationOpen, S.Running], to: S.Closed },
  archive: { from: [S.Closed], to: S.Archived },
});

export const EDITION_TRANSITIONS: EditionTransition[] = [
  'announce',
  'archive',
  'close',
  'open_call',
  'open_registration',
  'publish_programme',
  'start',
  'unannounce',
];
