/** A timestamp as the user's clock shows it, with the exact UTC time in `datetime`. */
export function When({ at }: { at: string | null | undefined }) {
  if (at == null) return <span>—</span>;
  const date = new Date(at);
  const text = Number.isNaN(date.getTime())
    ? at
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <time dateTime={at} title={at}>
      {text}
    </time>
  );
}
