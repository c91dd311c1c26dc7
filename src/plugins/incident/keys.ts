// The incident's storage keys, on their own so the boot script can look for kept values
// without loading the store (it stays within its weight budget).

/** The storage keys; one place, so clearing cannot miss one. */
export const KEYS = { incident: 'rb-incident', log: 'rb-incident-log' } as const;
