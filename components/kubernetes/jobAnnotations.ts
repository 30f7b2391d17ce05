/**
 * A Job that failed stays failed; without this, the next `pulumi up` would wait on it again
 * instead of running it anew once the cause (a database not yet reachable) is fixed.
 */
export const REPLACE_FAILED_JOB = { "pulumi.com/replaceUnready": "true" };
