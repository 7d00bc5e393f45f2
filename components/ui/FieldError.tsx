/** A form's error, tied to one of its fields (or to none: the form as a whole). */
export type FieldErrorState = { field: string | null; message: string } | null | undefined;

/** aria-invalid and aria-describedby for a field: its error (`{idBase}-error`) when the error is its own, else its hint. */
export function fieldAria(error: FieldErrorState, field: string, idBase: string, hintId?: string) {
  const own = error?.field === field;
  return { 'aria-invalid': own || undefined, 'aria-describedby': own ? `${idBase}-error` : hintId };
}

/** The error under one field, with the id its aria-describedby names (see fieldAria); nothing when it is not its own. */
export function FieldError({ error, field, idBase }: { error: FieldErrorState; field: string; idBase: string }) {
  if (error?.field !== field) return null;
  return (
    <p className="field-error" id={`${idBase}-error`}>
      {error.message}
    </p>
  );
}

/** A form's (or a panel's) error as a whole, not one field's: announced at once (role alert); nothing when none. */
export function FormError({ message, id, pad }: { message: string | null | undefined; id?: string; pad?: boolean }) {
  if (!message) return null;
  return (
    <p className={pad ? 'field-error pad' : 'field-error'} role="alert" id={id}>
      {message}
    </p>
  );
}
