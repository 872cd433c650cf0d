import { DomainError } from '@assises/core';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { Response } from 'express';
import { flash } from './flash';

/** Field → messages; a message is a translation key (`validation.min|n=1`) or plain text. */
export type FormErrors = Record<string, string[]>;

/** One form of a page that holds several, with its own values and errors. */
export interface SubForm {
  values: Record<string, unknown>;
  errors?: FormErrors;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

/** class-validator's constraints as translation keys, with the number of the rule when it has one. */
function formFieldErrors(errors: ValidationError[], parent = ''): FormErrors {
  const fields: FormErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.entries(error.constraints).map(([constraint, message]) => {
        const n = /(\d+)/.exec(message)?.[1];
        return n ? `validation.${constraint}|n=${n}` : `validation.${constraint}`;
      });
    }
    Object.assign(fields, formFieldErrors(error.children ?? [], path));
  }
  return fields;
}

/**
 * Validates a submitted page form with the same DTO as the JSON API. Empty inputs count as
 * absent; `_csrf` is not a field.
 */
export async function parseForm<T extends object>(
  dto: new () => T,
  body: Record<string, unknown> | undefined,
): Promise<FormResult<T>> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (key === '_csrf' || value === '') continue;
    plain[key] = value;
  }
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length > 0 ? { ok: false, errors: formFieldErrors(errors) } : { ok: true, value };
}

/**
 * A domain error that a form can show (a taken slug, impossible dates) as translation keys
 * `errors.<code>`; anything else is rethrown for the error filter.
 */
export function formErrorsFrom(
  error: unknown,
  fieldByCode: Record<string, string> = {},
): FormErrors {
  if (error instanceof DomainError) {
    if (error.fields) {
      return Object.fromEntries(
        Object.keys(error.fields).map((field) => [field, [`errors.${error.code}`]]),
      );
    }
    const field = fieldByCode[error.code] ?? '_form';
    if (error.kind === 'invalid' || error.kind === 'conflict' || fieldByCode[error.code]) {
      return { [field]: [`errors.${error.code}`] };
    }
  }
  throw error;
}

/** How a failed form is shown again (status 422) with the typed values and the errors. */
export type FormRerender =
  { view: string; model: Record<string, unknown> } | ((errors: FormErrors) => Promise<void> | void);

export interface FormSubmission<T> {
  res: Response;
  /** What was typed: shown again when the form fails. */
  body: Record<string, unknown> | undefined;
  /** What is validated when it differs from what was typed (a checkbox, an empty date as null). */
  input?: Record<string, unknown>;
  dto: new () => T;
  /** Domain error codes shown beside a field rather than above the form. */
  fieldByCode?: Record<string, string>;
  /** A domain error as form errors, when `formErrorsFrom` is not the page's reading. */
  errorsFrom?: (error: unknown) => FormErrors;
  /** Does the work; returns where to go next. */
  run: (value: T) => Promise<string>;
  /**
   * The translation key of the success message, or the key and the values it names (an address,
   * a code just created), read once the work is done.
   */
  success: string | ((value: T) => { key: string; args?: Record<string, string> });
  /** A view and its model (the values and errors are added), or a function that renders the page. */
  rerender: FormRerender;
}

/**
 * The life of a page form: validate, run, then redirect with a message (post/redirect/get), or
 * show the form again with status 422, the typed values and the errors beside their fields.
 * Nothing is stored when validation fails; the service's own transaction covers the rest.
 */
export async function submitForm<T extends object>(form: FormSubmission<T>): Promise<void> {
  const { rerender } = form;
  const fail = (errors: FormErrors) =>
    typeof rerender === 'function'
      ? rerender(errors)
      : form.res
          .status(422)
          .render(rerender.view, { ...rerender.model, values: form.body, errors });
  const parsed = await parseForm(form.dto, form.input ?? form.body);
  if (!parsed.ok) return fail(parsed.errors);
  let target: string;
  try {
    target = await form.run(parsed.value);
  } catch (error) {
    return fail(form.errorsFrom ? form.errorsFrom(error) : formErrorsFrom(error, form.fieldByCode));
  }
  const done =
    typeof form.success === 'string' ? { key: form.success } : form.success(parsed.value);
  flash(form.res, 'success', done.key, done.args);
  form.res.redirect(303, target);
}

export interface ActionSubmission {
  res: Response;
  /** Does the work (delete, move, revoke…). */
  run: () => Promise<unknown>;
  /** The translation key of the success message. */
  success: string;
  /** Where the browser goes back to, whatever the outcome. */
  target: string;
  /** The message of a refused action, when `formErrorsFrom` is not the page's reading. */
  messageFrom?: (error: unknown) => string | undefined;
}

/**
 * A button without fields: done with a success message, or the reason it was refused as an error
 * message above the page; back to `target` either way. Errors a form cannot show (not found,
 * forbidden) go to the error filter.
 */
export async function submitAction(action: ActionSubmission): Promise<void> {
  try {
    await action.run();
    flash(action.res, 'success', action.success);
  } catch (error) {
    const message = action.messageFrom
      ? action.messageFrom(error)
      : Object.values(formErrorsFrom(error))[0]?.[0];
    flash(action.res, 'error', message ?? 'common.error_generic');
  }
  action.res.redirect(303, action.target);
}
