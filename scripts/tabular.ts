/**
 * The one reader of tabular import files (organisation, documents): what
 * Chinese offices actually export.
 *
 * - CSV in UTF-8 (with or without BOM) or GBK: a file that is not valid UTF-8
 *   is read as GB18030, the superset of GBK that Windows Excel writes for
 *   "CSV (逗号分隔)" on a Chinese system (Node's built-in ICU decodes it).
 * - .xlsx (exceljs): every worksheet is a table; formulas give their result,
 *   rich text and hyperlinks their text, dates YYYY-MM-DD.
 * - JSON: an array of objects (one table), or an object whose array members
 *   are tables ({ "units": [...], "officials": [...] }).
 *
 * Header cells are matched to field names through aliases (English field name
 * or Chinese column title, ignoring case, width, spaces, "*", "-", "_" and ":"),
 * and leading title rows above the header ("淄博市……名单") are skipped. Every row
 * keeps where it came from, so reports name the line a person can find.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/** Field name → the column titles that mean it (the field name itself always does). */
export type FieldAliases = Record<string, readonly string[]>;

export interface TableRow {
  /** CSV: line in the file; .xlsx: row number in the sheet; JSON: position in the array (from 1). */
  line: number;
  /** Field → value; empty cells are left out. CSV and .xlsx values are strings, JSON values as given. */
  values: Record<string, unknown>;
}

export interface Table {
  /** Sheet name (.xlsx), array name (JSON object) or file name. */
  name: string;
  /** For reports: `units.csv`, `org.xlsx 人员`, `org.json officials`. */
  source: string;
  /** Unit of TableRow.line, for reports. */
  lineUnit: 'line' | 'row' | 'item';
  /** The fields the header provides. */
  fields: string[];
  /** Header cells that match no field (ignored). */
  ignoredColumns: string[];
  /** CSV only: how the bytes were decoded. */
  encoding?: 'utf-8' | 'gb18030';
  rows: TableRow[];
}

/** "units.csv line 5", "org.xlsx 人员 row 7", "org.json officials item 3". */
export function where(table: Pick<Table, 'source' | 'lineUnit'>, line: number): string {
  return `${table.source} ${table.lineUnit} ${line}`;
}

const normalise = (s: string) =>
  s
    .normalize('NFKC') // full-width letters, digits and colons to their ASCII forms
    .toLowerCase()
    .replace(/[\s_*\-:]/g, '');

function headerMatcher(aliases: FieldAliases): (cell: string) => string | undefined {
  const byName = new Map<string, string>();
  for (const [field, names] of Object.entries(aliases)) {
    for (const n of [field, ...names]) byName.set(normalise(n), field);
  }
  return (cell) => byName.get(normalise(cell));
}

/** Decodes CSV bytes: UTF-8 when they are valid UTF-8, GB18030 (GBK) otherwise. */
export function decodeText(bytes: Buffer): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** A grid of cells with their line numbers, before the header is known. */
interface Grid {
  name: string;
  source: string;
  lineUnit: Table['lineUnit'];
  encoding?: Table['encoding'];
  rows: Array<{ line: number; cells: string[] }>;
}

/** Finds the header (the first of the first 10 rows naming a known field) and maps the rows below it. */
function gridToTable(grid: Grid, aliases: FieldAliases): Table {
  const match = headerMatcher(aliases);
  const headerIndex = grid.rows.slice(0, 10).findIndex((r) => r.cells.some((c) => match(c) !== undefined));
  const base = { name: grid.name, source: grid.source, lineUnit: grid.lineUnit, ...(grid.encoding ? { encoding: grid.encoding } : {}) };
  if (headerIndex < 0) return { ...base, fields: [], ignoredColumns: grid.rows[0]?.cells.filter(Boolean) ?? [], rows: [] };
  const header = grid.rows[headerIndex].cells.map((c) => match(c));
  const ignoredColumns = grid.rows[headerIndex].cells.filter((c, i) => c !== '' && header[i] === undefined);
  const rows: TableRow[] = [];
  for (const { line, cells } of grid.rows.slice(headerIndex + 1)) {
    const values: Record<string, unknown> = {};
    cells.forEach((c, i) => {
      const field = header[i];
      if (field && c !== '' && values[field] === undefined) values[field] = c;
    });
    if (Object.keys(values).length > 0) rows.push({ line, values });
  }
  return { ...base, fields: [...new Set(header.filter((f): f is string => f !== undefined))], ignoredColumns, rows };
}

function readCsv(file: string, bytes: Buffer): Grid {
  const { text, encoding } = decodeText(bytes);
  const records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Array<{
    record: string[];
    info: { lines: number };
  }>;
  return {
    name: path.basename(file),
    source: path.basename(file),
    lineUnit: 'line',
    encoding,
    rows: records.map(({ record, info }) => ({ line: info.lines, cells: record.map((c) => c.trim()) })),
  };
}

/** A cell's value as the text a person sees in Excel. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    // Excel dates have no zone: exceljs gives the wall-clock time as UTC.
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : cellText(v.text);
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as ExcelJS.CellFormulaValue).result);
    if ('error' in v) return String(v.error);
    return '';
  }
  return String(v);
}

async function readXlsx(file: string, bytes: Buffer): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const rows: Grid['rows'] = [];
    sheet.eachRow({ includeEmpty: false }, (row, line) => {
      // row.values is 1-based (index 0 is empty).
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      rows.push({ line, cells: Array.from(values, (v) => cellText(v).trim()) });
    });
    return { name: sheet.name, source: `${path.basename(file)} ${sheet.name}`, lineUnit: 'row' as const, rows };
  });
}

function readJson(file: string, bytes: Buffer, aliases: FieldAliases): Table[] {
  const data: unknown = JSON.parse(decodeText(bytes).text);
  const base = path.basename(file);
  const arrays: Array<[string, unknown[]]> = Array.isArray(data)
    ? [[base, data]]
    : data && typeof data === 'object'
      ? Object.entries(data).filter((e): e is [string, unknown[]] => Array.isArray(e[1]))
      : [];
  if (arrays.length === 0) throw new Error(`${base}: expected an array of objects, or an object whose members are arrays`);
  const match = headerMatcher(aliases);
  return arrays.map(([name, items]) => {
    const fields = new Set<string>();
    const ignored = new Set<string>();
    const rows = items.map((item, i) => {
      const values: Record<string, unknown> = {};
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        for (const [k, v] of Object.entries(item)) {
          const field = match(k);
          if (!field) ignored.add(k);
          else if (v !== null && v !== undefined && v !== '') {
            values[field] = typeof v === 'string' ? v.trim() : v;
            fields.add(field);
          }
        }
      }
      return { line: i + 1, values };
    });
    return { name, source: name === base ? base : `${base} ${name}`, lineUnit: 'item' as const, fields: [...fields], ignoredColumns: [...ignored], rows };
  });
}

/**
 * Reads every table of a CSV, .xlsx or JSON file (from disk, or from
 * `content` when given). `aliases` names the fields the caller knows; columns
 * matching none are listed in `ignoredColumns`.
 */
export async function readTables(file: string, aliases: FieldAliases, content?: Buffer): Promise<Table[]> {
  const ext = path.extname(file).toLowerCase();
  const bytes = () => content ?? fs.readFileSync(file);
  if (ext === '.json') return readJson(file, bytes(), aliases);
  if (ext === '.xlsx') return (await readXlsx(file, bytes())).map((g) => gridToTable(g, aliases));
  if (ext === '.csv' || ext === '.txt') return [gridToTable(readCsv(file, bytes()), aliases)];
  if (ext === '.xls' || ext === '.et' || ext === '.wps') {
    throw new Error(`${path.basename(file)}: the old binary Excel/WPS format is not read; save it as .xlsx or as CSV`);
  }
  throw new Error(`${path.basename(file)}: unknown file type (expected .csv, .xlsx or .json)`);
}

/** Splits a list cell ("a;b", "a、b", "a，b", "a|b") into its items; arrays (JSON) pass through. */
export function listCell(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return v
    .split(/[;；,，、|\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A cell named in a report of rejected rows (an id, a document number): text as is, nothing for anything else. */
export function labelCell(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** Dates as Chinese offices write them (2026/11/1, 2026.11.1, 2026年11月1日) to YYYY-MM-DD; anything else passes through. */
export function dateCell(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(v.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : v;
}

/**
 * A progress reporter for long imports: one line rewritten in place on a
 * terminal, a line per tenth otherwise (docker logs, CI).
 */
export function progressLine(verb: string, total: number, out: NodeJS.WriteStream = process.stderr): (done: number) => void {
  let lastTenth = -1;
  return (done) => {
    if (out.isTTY) {
      out.write(`\r${verb} ${done}/${total}`);
      if (done === total) out.write('\n');
      return;
    }
    const tenth = Math.floor((done * 10) / Math.max(total, 1));
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      out.write(`${verb} ${done}/${total}\n`);
    }
  };
}
