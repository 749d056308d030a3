// The organisation, for pickers and for naming units: loaded once per page load.
import { reactive } from 'vue';
import { api, call, type Answer } from './api/client';

type Unit = Answer<'/api/org/units', 'get'>['items'][number];
type Official = Answer<'/api/org/officials', 'get'>['items'][number];

export const org = reactive<{ units: Unit[]; officials: Record<string, Official[]> }>({ units: [], officials: {} });
let loading: Promise<void> | undefined;

export function loadUnits(): Promise<void> {
  loading ??= call(api.GET('/api/org/units')).then(
    (r) => {
      org.units = r.items;
    },
    (err: unknown) => {
      // A failed load (signed out, the API busy) is tried again by the next page that needs the units,
      // instead of every page naming units by their ids until a reload.
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

export async function officialsOf(unitId: string): Promise<Official[]> {
  if (!org.officials[unitId]) org.officials[unitId] = (await call(api.GET('/api/org/officials', { params: { query: { unit: unitId } } }))).items;
  return org.officials[unitId];
}

export const unitName = (id?: string | null) => (id ? (org.units.find((u) => u.id === id)?.name ?? id) : '—');
export const unitsOfKind = (...kinds: string[]) => org.units.filter((u) => kinds.includes(u.kind));
/** The id of the unit named `text` (its name or its id), or the text itself for the API to refuse. */
export const unitIdOf = (text: string) => org.units.find((u) => u.name === text.trim() || u.id === text.trim())?.id ?? text.trim();
