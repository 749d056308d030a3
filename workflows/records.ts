// How a workflow tells the database what it decided. The workflow is the
// source of truth; the database is its projection. Every state change takes the
// next revision (kept in workflow state, carried across continue-as-new), and
// the recorder (activities/records) applies a change to a row only if the row
// has not already seen a newer one — so record activities running concurrently,
// retried or replayed in any order end with the database equal to the
// workflow's latest state. Pure and deterministic: safe in workflow code.
import { SUPERSEDED_REASON, type Obligation } from '../common/obligations';

export class Revisions {
  /** Obligations as last sent in this run, by key (JSON), so a change carries only what moved. */
  private readonly sent = new Map<string, string>();
  private first = true;

  constructor(private current = 0) {}

  /** The revision of the latest change. */
  get revision(): number {
    return this.current;
  }

  /** Numbers a state change: call where the state changes, before any await. */
  next(): number {
    this.current += 1;
    return this.current;
  }

  /**
   * The obligations that changed since the last change of this run. The
   * run's first change sends them all with `complete`: the recorder then
   * closes any other open obligation of the workflow as superseded (a
   * continue-as-new run does not know what the previous one sent).
   */
  obligations(all: Obligation[]): { rows: Obligation[]; complete: boolean } {
    const complete = this.first;
    this.first = false;
    const listed = new Set(all.map((o) => o.key));
    const rows: Obligation[] = [];
    for (const o of all) {
      const json = JSON.stringify(o);
      if (this.sent.get(o.key) !== json) rows.push(o);
      this.sent.set(o.key, json);
    }
    // An obligation the workflow no longer lists is closed; a later change may list it again.
    for (const [key, json] of [...this.sent]) {
      if (listed.has(key)) continue;
      const gone = JSON.parse(json) as Obligation;
      this.sent.delete(key);
      if (gone.status === 'OPEN') rows.push({ ...gone, status: 'SUPERSEDED', reason: SUPERSEDED_REASON });
    }
    return { rows, complete };
  }
}
