interface PagerProps {
  label: string;
  first: number;
  last: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}

/** Previous/next paging with the range shown. */
export function Pager(props: PagerProps) {
  if (!props.hasPrevious && !props.hasNext) return null;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        Previous
      </button>
      <span>{props.last >= props.first ? `${props.first}–${props.last}` : "none"}</span>
      <button type="button" disabled={!props.hasNext} onClick={props.onNext}>
        Next
      </button>
    </nav>
  );
}
