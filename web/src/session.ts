// Who is signed in, and the number in the header. A plain reactive object:
// the console has one piece of shared state, so no store library is needed.
import { reactive } from 'vue';
import { api, call, setCsrfToken, type Schemas } from './api/client';

export type Me = Schemas['SessionView']['official'];

export const session = reactive<{ me: Me | null; todoCount: number; loaded: boolean }>({ me: null, todoCount: 0, loaded: false });

/** Loads the current session once (a page reload keeps the cookie); false when not signed in. */
export async function loadSession(): Promise<boolean> {
  if (session.loaded) return !!session.me;
  const r = await api.GET('/api/auth/session');
  session.loaded = true;
  if (!r.data) return false;
  signedIn(r.data);
  return true;
}

export function signedIn(view: Schemas['SessionView']): void {
  session.me = view.official;
  session.loaded = true;
  setCsrfToken(view.csrfToken);
}

export function signedOut(): void {
  session.me = null;
  session.todoCount = 0;
  setCsrfToken(null);
}

export async function refreshTodoCount(): Promise<void> {
  if (!session.me) return;
  const r = await api.GET('/api/me/todo');
  if (r.data) session.todoCount = r.data.count;
}

export async function signOut(): Promise<void> {
  await call(api.DELETE('/api/auth/session'));
  signedOut();
}

export const hasRole = (role: string) => !!session.me?.roles.includes(role);
