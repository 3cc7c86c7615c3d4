/** Lower-case, collapse whitespace, strip surrounding punctuation: the form used for matching. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^\p{L}\p{N}#@._'\-\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of a text for matching (normalised, split on spaces). */
export function words(text: string): string[] {
  const n = normalizeText(text);
  return n ? n.split(' ') : [];
}

/** `cancel_order` / `cancelOrder` → `cancel order`. */
export function humanizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-]+/g, ' ')
    .toLowerCase()
    .trim();
}
