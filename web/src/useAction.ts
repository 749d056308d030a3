// One way to run a request from a page or form: the busy flag for its button,
// and the API's refusal kept for <ErrorAlert> instead of thrown.
import { ref } from 'vue';

export function useAction() {
  const error = ref<unknown>(null);
  const busy = ref(false);
  /** Runs `fn`; its result, or undefined when it failed (then `error` holds why). */
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    error.value = null;
    busy.value = true;
    try {
      return await fn();
    } catch (e) {
      error.value = e;
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { error, busy, run };
}
