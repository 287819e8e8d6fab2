/** A form's outcome: the server's refusal (announced at once) or a confirmation. */
export function FormMessages({ error, note }: { error?: string | null; note?: string | null }) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {note && (
        <p className="form-note" role="status">
          {note}
        </p>
      )}
    </>
  );
}
