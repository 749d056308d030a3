/** The one task queue of duban's worker (one constant, never a repeated literal). */
export const TASK_QUEUE = 'duban';
