/**
 * A record's own entry for an id typed by the user: `constructor`, `__proto__` or `toString` are not
 * ids, and a plain `record[id]` would return the prototype's member for them.
 */
export function own<T>(record: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}
