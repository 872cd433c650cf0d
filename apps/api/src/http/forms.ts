import { DomainError } from '@assises/core';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { Response } from 'express';
import { flash } from './flash';

/** Field → messages; a message is a translation key (`validation.min|n=1`) or plain text. */
export type FormErrors = Record<string, string[]>;

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

export interface FormSubmission<T> {
  res: Response;
  /** The form's view and what it needs besides the submitted values and errors. */
  view: string;
  model: Record<string, unknown>;
  body: Record<string, unknown> | undefined;
  dto: new () => T;
  /** Domain error codes shown beside a field rather than above the form. */
  fieldByCode?: Record<string, string>;
  /** Does the work; returns where to go next. */
  run: (value: T) => Promise<string>;
  /** The translation key of the success message. */
  success: string;
}

/**
 * The life of a page form: validate, run, then redirect with a message (post/redirect/get), or
 * re-render the form with status 422, the typed values and the errors beside their fields.
 */
export async function submitForm<T extends object>(form: FormSubmission<T>): Promise<void> {
  const rerender = (errors: FormErrors) =>
    form.res.status(422).render(form.view, { ...form.model, values: form.body, errors });
  const parsed = await parseForm(form.dto, form.body);
  if (!parsed.ok) return rerender(parsed.errors);
  let target: string;
  try {
    target = await form.run(parsed.value);
  } catch (error) {
    return rerender(formErrorsFrom(error, form.fieldByCode));
  }
  flash(form.res, 'success', form.success);
  form.res.redirect(303, target);
}
