import { InvalidTransitionError } from '@assises/core';
import { EditionStatus } from './edition.entity';
import { editionStatusMachine } from './edition-status.machine';

describe('editionStatusMachine', () => {
  it('walks the whole life of an edition', () => {
    let status = EditionStatus.Draft;
    for (const step of [
      'announce',
      'open_call',
      'publish_programme',
      'open_registration',
      'start',
      'close',
      'archive',
    ] as const) {
      status = editionStatusMachine.apply(status, step);
    }
    expect(status).toBe(EditionStatus.Archived);
  });

  it('lets registration open while the call is still open', () => {
    expect(editionStatusMachine.apply(EditionStatus.CfpOpen, 'open_registration')).toBe(
      EditionStatus.RegistrationOpen,
    );
  });

  it('refuses to reopen a closed edition', () => {
    expect(() => editionStatusMachine.apply(EditionStatus.Closed, 'open_registration')).toThrow(
      InvalidTransitionError,
    );
  });

  it('refuses to start a draft', () => {
    expect(editionStatusMachine.can(EditionStatus.Draft, 'start')).toBe(false);
  });
});
