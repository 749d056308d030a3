/**
 * docker-compose.yml registers search attributes with the Temporal CLI from a
 * plain list; it must stay equal to what the workflows use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../../common/searchAttributes';

describe('docker-compose.yml', () => {
  const compose = fs.readFileSync(path.join(__dirname, '../../docker-compose.yml'), 'utf8');

  it('registers exactly the search attributes of common/searchAttributes.ts', () => {
    const m = /SEARCH_ATTRIBUTES:\s*"([^"]*)"/.exec(compose);
    expect(m).not.toBeNull();
    const listed = Object.fromEntries(
      (m?.[1] ?? '')
        .trim()
        .split(/\s+/)
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(listed).toEqual(SEARCH_ATTRIBUTES);
  });

  it('gives worker and API the same configuration variables', () => {
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SMTP_URL', 'API_PORT', 'DUBAN_ADMIN_TOKEN']) {
      expect(compose).toMatch(new RegExp(`^\\s+${name}:`, 'm'));
    }
    expect(compose.match(/<<: \*app-env/g)?.length).toBeGreaterThanOrEqual(3);
  });
});
