/** The buttons of an inline edit form: Save submits it, Cancel leaves it. */
export function SaveCancel({ onCancel }: { onCancel: () => void }) {
  return (
    <>
      <button type="submit" className="btn btn-sm">
        Save
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>
        Cancel
      </button>
    </>
  );
}
