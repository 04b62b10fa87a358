/** The mark for absences that come from Personio (a simple glyph, not Personio's logo). */
export function PersonioIcon(props: { title?: string }) {
  return (
    <svg class="personio-icon" viewBox="0 0 16 16" role="img" aria-label={props.title ?? 'Personio'} focusable="false">
      <rect width="16" height="16" rx="4" fill="#1f2937" />
      <path d="M5 12.5V3.5h3.6a2.7 2.7 0 0 1 0 5.4H6.8" fill="none" stroke="#fff" stroke-width="1.8" />
    </svg>
  );
}
