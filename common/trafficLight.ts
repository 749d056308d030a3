// Traffic lights for open obligations: green (on time), yellow (due within the
// policy's warning window), red (overdue).
import { subtractDuration, type DurationSpec } from './policy/duration';

export type Light = 'GREEN' | 'YELLOW' | 'RED';

export function trafficLight(dueAt: Date, now: Date, warningWindow: DurationSpec): Light {
  if (now.getTime() > dueAt.getTime()) return 'RED';
  if (now.getTime() >= subtractDuration(dueAt, warningWindow).getTime()) return 'YELLOW';
  return 'GREEN';
}
