/**
 * scripts/tabular.ts, the one reader of import files: encodings, header
 * aliases and title rows, Excel cell kinds, JSON shapes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dateCell, decodeText, listCell, readTables } from '../../scripts/tabular';

const fixture = (name: string) => path.join(__dirname, '../fixtures/import', name);
const ALIASES = { id: ['编码'], name: ['名称', '姓名'], email: ['邮箱'] };

describe('tabular import files', () => {
  it('decodes UTF-8 (with or without BOM) as UTF-8 and anything else as GBK/GB18030', () => {
    const text = '编码,名称\nd1,张店区\n';
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).text).toBe(text);
    // 张店区 in GBK
    expect(decodeText(Buffer.from([0xd5, 0xc5, 0xb5, 0xea, 0xc7, 0xf8]))).toEqual({ text: '张店区', encoding: 'gb18030' });
    const gbk = fs.readFileSync(fixture('officials-gbk.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(decodeText(gbk).text).toContain('市委改革办主任');
  });

  it('finds the header below title lines, maps Chinese titles to fields and keeps line numbers', async () => {
    const csv = Buffer.from('某某名单（2027年）\n\n编码, 名称* ,备注\nd1,张店区,x\n,,\nd2,"淄川区\n（含新区）",\n');
    const [t] = await readTables('list.csv', ALIASES, csv);
    expect(t).toMatchObject({ source: 'list.csv', lineUnit: 'line', fields: ['id', 'name'], ignoredColumns: ['备注'], encoding: 'utf-8' });
    expect((await readTables('x.csv', ALIASES, Buffer.from('ＩＤ,E-Mail,姓名：\n1,a@b.cn,甲\n')))[0].fields).toEqual(['id', 'email', 'name']);
    expect(t.rows).toEqual([
      { line: 4, values: { id: 'd1', name: '张店区' } },
      { line: 7, values: { id: 'd2', name: '淄川区\n（含新区）' } },
    ]);
  });

  it('reads every sheet of an .xlsx with the text a person sees: rich text, hyperlinks, formulas, dates', async () => {
    const tables = await readTables(fixture('documents.xlsx'), { docNumber: ['文号'], title: ['标题'], issuedAt: ['印发日期'] });
    expect(tables.map((t) => [t.name, t.lineUnit, t.fields])).toEqual([
      ['收文登记', 'row', ['docNumber', 'title', 'issuedAt']],
      ['说明', 'row', []],
    ]);
    expect(tables[0].rows[3]).toEqual({ line: 5, values: { docNumber: '鲁发〔2026〕44号', title: '关于深化土地制度改革的意见', issuedAt: '2026-11-09' } });
    const [, people] = await readTables(fixture('organisation.xlsx'), { email: ['电子邮箱'], title: ['职务'] });
    expect(people.rows[0].values.email).toBe('wang.jianguo@reform.example.cn');
    expect(people.rows[6].values.title).toBe('东城区委改革办主任');
  });

  it('reads JSON arrays and objects of arrays', async () => {
    const [a] = await readTables('x.json', ALIASES, Buffer.from('[{"id": 7, "名称": " 甲 ", "other": 1}, {"id": "b"}]'));
    expect(a).toMatchObject({ source: 'x.json', lineUnit: 'item', ignoredColumns: ['other'], rows: [{ line: 1, values: { id: 7, name: '甲' } }, { line: 2, values: { id: 'b' } }] });
    const tables = await readTables('org.json', ALIASES, Buffer.from('{"units": [{"id": "u"}], "note": "x", "people": []}'));
    expect(tables.map((t) => t.source)).toEqual(['org.json units', 'org.json people']);
    await expect(readTables('x.json', ALIASES, Buffer.from('"x"'))).rejects.toThrow(/array/);
    await expect(readTables('old.xls', ALIASES, Buffer.from(''))).rejects.toThrow(/save it as \.xlsx or as CSV/);
  });

  it('splits list cells and normalises the dates offices write', () => {
    expect(listCell('管理员、主任; 联络员，起草人|市领导')).toEqual(['管理员', '主任', '联络员', '起草人', '市领导']);
    expect(listCell(['a'])).toEqual(['a']);
    expect(['2026/11/2', '2026.11.02', '2026年11月2日', '2026-11-02'].map(dateCell)).toEqual(Array(4).fill('2026-11-02'));
    expect(dateCell('下周')).toBe('下周');
  });
});
