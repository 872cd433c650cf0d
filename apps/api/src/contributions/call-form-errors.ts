import { DomainError } from '@assises/core';
import { InvalidProposalError } from '@assises/contributions';
import type { FormErrors } from '../http/forms';

/** The translation key of a domain error code in the call namespace: `call.closed` → `call.errors.call_closed`. */
export const callErrorKey = (code: string) => `call.errors.${code.replace(/\./g, '_')}`;

/**
 * A domain error shown on a call page form: a proposal's problems become per-field messages
 * (`call.problems.<rule>|n=…`), other errors with fields name their fields, the rest go above the
 * form. Anything that is not about the input (not found, forbidden) is rethrown for the filter.
 */
export function callFormErrors(error: unknown): FormErrors {
  if (error instanceof InvalidProposalError && error.problems) {
    return Object.fromEntries(
      Object.entries(error.problems).map(([field, problems]) => [
        field,
        problems.map(
          (p) =>
            `call.problems.${p.rule}` +
            (p.n === undefined ? '' : `|n=${p.n}`) +
            (p.m === undefined ? '' : `|m=${p.m}`),
        ),
      ]),
    );
  }
  if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'conflict')) {
    if (error.fields)
      return Object.fromEntries(
        Object.keys(error.fields).map((field) => [field, [callErrorKey(error.code)]]),
      );
    return { _form: [callErrorKey(error.code)] };
  }
  throw error;
}
