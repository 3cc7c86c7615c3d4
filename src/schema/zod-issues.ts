/** A zod issue as plain data: where (dot path, `(root)` for the value itself) and what. */
export interface IssueSummary {
  path: string;
  message: string;
}

/** The parts of a zod issue this needs (zod's `$ZodIssue` has more). */
interface ZodIssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export function summarizeIssues(issues: readonly ZodIssueLike[], limit = 5): IssueSummary[] {
  return issues.slice(0, limit).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** The one way zod issues are shown in messages: `path: message; path: message`. */
export function formatIssues(issues: readonly ZodIssueLike[], limit = 5): string {
  return summarizeIssues(issues, limit)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
}
