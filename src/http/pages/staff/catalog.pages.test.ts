import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { csrfFrom, get, httpEnv, login, postForm, type HttpEnv, type Jar } from '../../../../test/http.js';
import type { DataField, MarcRecord } from '../../../codecs/marc/record.js';
import { buildMarcFromSimple } from '../../../domain/catalog/simple-form.js';
import { fieldToRow, mergeSimpleIntoMarc, readEditorForm, rowsToRecord, taggedLine, type EditorRow } from './catalog.pages.js';

// Valid ISBN-13s (check digits computed), one per test that needs its own.
const ISBN = ['9786040000019', '9786040000026', '9786040000033', '9786040000040', '9786040000057', '9786040000064'];

const data = (r: MarcRecord, tag: string): DataField[] => r.fields.filter((f): f is DataField => f.tag === tag && 'subfields' in f);
const sub = (f: DataField | undefined, code: string): string | undefined => f?.subfields.find((s) => s.code === code)?.value;

/** The editor's form fields for rows: `f0.tag`, `f0.ind1`… */
function editorForm(leader: string, rows: Array<[string, string, string, string]>): Record<string, string> {
  const form: Record<string, string> = { leader };
  rows.forEach(([tag, ind1, ind2, value], i) => Object.assign(form, { [`f${i}.tag`]: tag, [`f${i}.ind1`]: ind1, [`f${i}.ind2`]: ind2, [`f${i}.value`]: value }));
  return form;
}

const F008 = (buildMarcFromSimple({ title: 'x', authors: [], year: '2015' }, { today: '2026-03-15' }).fields.find((f) => f.tag === '008') as { value: string }).value;
const LEADER = '00000nam a2200000 i 4500';

describe('the editor text', () => {
  it.each<[string, EditorRow, MarcRecord['fields'][number] | null, string[]]>([
    ['a data field', { tag: '245', ind1: '1', ind2: '0', value: '$a Truyện Kiều / $c Nguyễn Du.' }, { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Truyện Kiều /' }, { code: 'c', value: 'Nguyễn Du.' }] }, []],
    ['blanks as #, _ or nothing', { tag: '020', ind1: '#', ind2: '_', value: '$a 9786040000019' }, { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '9786040000019' }] }, []],
    ['an escaped dollar', { tag: '500', ind1: '', ind2: '', value: '$a Giá {dollar}12.' }, { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Giá $12.' }] }, []],
    ['a value wrapped over lines', { tag: '520', ind1: '', ind2: '', value: '$a Một\r\ndòng' }, { tag: '520', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Một dòng' }] }, []],
    ['a control field, # as blank in 008', { tag: '008', ind1: '', ind2: '', value: '260315s2015####vm#' }, { tag: '008', value: '260315s2015    vm ' }, []],
    ['001 keeps #', { tag: '001', ind1: '', ind2: '', value: 'KG#1' }, { tag: '001', value: 'KG#1' }, []],
    ['a tag of two characters', { tag: '24', ind1: '1', ind2: '0', value: '$a X' }, null, ['staff.catalog.parse.tag-invalid']],
    ['subfields without $', { tag: '245', ind1: '1', ind2: '0', value: 'Truyện Kiều' }, null, ['staff.catalog.parse.no-dollar']],
    ['a $ without a code', { tag: '245', ind1: '1', ind2: '0', value: '$a Truyện $ Kiều' }, null, ['staff.catalog.parse.code-missing']],
    ['a long indicator', { tag: '245', ind1: '10', ind2: '0', value: '$a X' }, null, ['staff.catalog.parse.indicator-invalid']],
    ['a value without tag', { tag: '', ind1: '', ind2: '', value: '$a X' }, null, ['staff.catalog.parse.tag-missing']],
    ['a control field with subfields', { tag: '001', ind1: '', ind2: '', value: '$a 12' }, { tag: '001', value: '$a 12' }, ['staff.catalog.parse.control-subfields']],
    ['a row without value is left out', { tag: '650', ind1: '', ind2: '4', value: '  ' }, null, []],
  ])('%s', (_name, row, field, problems) => {
    const r = rowsToRecord(LEADER, [row]);
    expect(r.problems.map((p) => p.key)).toEqual(problems);
    expect(r.problems.every((p) => p.row === 0)).toBe(true);
    expect(r.record.fields).toEqual(field ? [field] : []);
  });

  it('reads rows in index order, drops empty ones and maps fields back to rows', () => {
    const { leader, rows } = readEditorForm({ leader: LEADER, 'f10.tag': '650', 'f10.value': '$a B', 'f2.tag': '245', 'f2.ind1': '0', 'f2.ind2': '0', 'f2.value': '$a A', 'f3.tag': '', 'f3.value': '', other: 'x' });
    expect(leader).toBe(LEADER);
    expect(rows.map((r) => r.tag)).toEqual(['245', '650']);
    const parsed = rowsToRecord(leader, [{ tag: '500', ind1: '', ind2: '', value: '' }, ...rows]);
    expect(parsed.rowOfField).toEqual([1, 2]);
  });

  it('writes fields back as rows and tagged lines', () => {
    const f: DataField = { tag: '245', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Giá $5 /' }, { code: 'c', value: 'A.' }] };
    expect(fieldToRow(f)).toEqual({ tag: '245', ind1: '1', ind2: '#', value: '$a Giá {dollar}5 / $c A.' });
    expect(rowsToRecord(LEADER, [fieldToRow(f)]).record.fields[0]).toEqual(f);
    expect(taggedLine(f)).toBe('245 1# $a Giá $5 / $c A.');
    expect(taggedLine({ tag: '001', value: '123' })).toBe('001    123');
  });
});

describe('editing through the simple form', () => {
  const today = '2026-03-15';
  const existing: MarcRecord = {
    leader: '00000cam a2200000 i 4500',
    fields: [
      { tag: '001', value: 'KG123' },
      { tag: '008', value: F008 },
      { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: ISBN[0]! }] },
      { tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '(KG)123' }] },
      { tag: '110', ind1: '2', ind2: ' ', subfields: [{ code: 'a', value: 'Hội Nhà văn Việt Nam' }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Tuyển tập thơ /' }, { code: 'c', value: 'Hội Nhà văn.' }] },
      { tag: '300', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '215 tr. :' }, { code: 'b', value: 'minh hoạ ;' }, { code: 'c', value: '21 cm' }] },
      { tag: '504', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Thư mục: tr. 210-215.' }] },
      { tag: '600', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: 'Nguyễn Du' }] },
      { tag: '700', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'Xuân Diệu' }, { code: 'e', value: 'tuyển chọn' }] },
      { tag: '856', ind1: '4', ind2: '0', subfields: [{ code: 'u', value: 'https://example.org/a' }] },
      { tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'p', value: 'KG0001' }] },
    ],
  };

  it('changes nothing when nothing in the form changed', async () => {
    const { simpleFromMarc } = await import('../../../domain/catalog/simple-form.js');
    const built = buildMarcFromSimple(simpleFromMarc(existing), { today }) as MarcRecord;
    expect(mergeSimpleIntoMarc(existing, built)).toEqual(existing);
  });

  it('replaces only what changed and keeps the fields of values still listed', async () => {
    const { simpleFromMarc } = await import('../../../domain/catalog/simple-form.js');
    const input = simpleFromMarc(existing);
    const built = buildMarcFromSimple(
      { ...input, title: 'Tuyển tập thơ mới', authors: [...input.authors, 'Chế Lan Viên'], subjects: [...(input.subjects ?? []), 'Thơ'], pages: '230 tr.', isbn: [ISBN[1]!] },
      { today },
    ) as MarcRecord;
    const merged = mergeSimpleIntoMarc(existing, built);
    expect(merged.fields.map((f) => f.tag)).toEqual(['001', '008', '020', '035', '110', '245', '300', '504', '600', '650', '700', '700', '856', '952']);
    expect(sub(data(merged, '020')[0], 'a')).toBe(ISBN[1]);
    expect(data(merged, '110')[0]).toEqual(existing.fields[4]); // the corporate main entry stays corporate
    expect(sub(data(merged, '245')[0], 'a')).toBe('Tuyển tập thơ mới /');
    expect(data(merged, '300')[0]!.subfields).toEqual([
      { code: 'a', value: '230 tr. :' },
      { code: 'b', value: 'minh hoạ ;' },
      { code: 'c', value: '21 cm' },
    ]);
    expect(data(merged, '600')[0]).toEqual(existing.fields[8]); // its vocabulary and kind survive
    expect(data(merged, '700').map((f) => f.subfields)).toEqual([
      [
        { code: 'a', value: 'Xuân Diệu' },
        { code: 'e', value: 'tuyển chọn' },
      ],
      [{ code: 'a', value: 'Chế Lan Viên' }],
    ]);
    expect(merged.leader).toBe(existing.leader);
  });

  it('makes an added entry the main entry when it moves to the top, and sets 245 ind1', async () => {
    const { simpleFromMarc } = await import('../../../domain/catalog/simple-form.js');
    const noMain: MarcRecord = { leader: existing.leader, fields: existing.fields.filter((f) => f.tag !== '110').map((f) => (f.tag === '245' ? { ...f, ind1: '0' } : f)) };
    const input = simpleFromMarc(noMain);
    expect(input.authors).toEqual(['Xuân Diệu']);
    const merged = mergeSimpleIntoMarc(noMain, buildMarcFromSimple({ ...input, authors: ['Xuân Diệu', 'Tố Hữu'] }, { today }) as MarcRecord);
    expect(data(merged, '100')[0]!.subfields).toEqual([
      { code: 'a', value: 'Xuân Diệu' },
      { code: 'e', value: 'tuyển chọn' },
    ]);
    expect(data(merged, '700').map((f) => f.subfields)).toEqual([[{ code: 'a', value: 'Tố Hữu' }]]);
    expect(data(merged, '245')[0]!.ind1).toBe('1');
  });

  it('patches the year and language into 008 and 041', async () => {
    const { simpleFromMarc } = await import('../../../domain/catalog/simple-form.js');
    const input = simpleFromMarc(existing);
    const merged = mergeSimpleIntoMarc(existing, buildMarcFromSimple({ ...input, year: '2020', language: 'vie, eng' }, { today }) as MarcRecord);
    const f008 = merged.fields.find((f) => f.tag === '008') as { value: string };
    expect(f008.value.slice(0, 6)).toBe('260315'); // date entered stays
    expect(f008.value.slice(6, 15)).toBe('s2020    ');
    expect(f008.value.slice(35, 38)).toBe('vie');
    expect(data(merged, '041')[0]!.subfields.map((s) => s.value)).toEqual(['vie', 'eng']);
    expect(sub(data(merged, '264')[0], 'c')).toBe('2020.');
  });
});

describeEachDialect('cataloguing pages', (dialect) => {
  let env: HttpEnv;
  let commlib: Jar;
  let otherlib: Jar;
  let netadmin: Jar;

  beforeAll(async () => {
    env = await httpEnv(dialect);
    commlib = (await login(env.app, 'commlib', PASSWORD)).jar;
    otherlib = (await login(env.app, 'otherlib', PASSWORD)).jar;
    netadmin = (await login(env.app, 'netadmin', PASSWORD)).jar;
  });
  afterAll(async () => {
    await env?.dispose();
  });

  const count = () => env.container.services.catalog.count();
  const stored = async (id: number) => (await env.container.services.catalog.get(id, { allowDeleted: true })).marc;
  const recordIdOf = (location: unknown): number => {
    const m = /^\/staff\/catalogue\/records\/(\d+)\?ok=/.exec(String(location));
    if (!m) throw new Error(`not a record redirect: ${String(location)}`);
    return Number(m[1]);
  };
  /** Loads `pageUrl` (for its CSRF token and version) and posts the form to `actionUrl`. */
  const post = async (jar: Jar, pageUrl: string, actionUrl: string, form: Record<string, string>) => {
    const page = await get(env.app, jar, pageUrl);
    expect(page.statusCode, `${pageUrl}: ${page.body.slice(0, 300)}`).toBe(200);
    return postForm(env.app, jar, actionUrl, { _csrf: csrfFrom(page.body), ...form });
  };
  const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

  const simple = (title: string, isbn: string, extra: Record<string, string> = {}) => ({
    unitId: String(env.tree.communeA1.id),
    title,
    subtitle: '',
    responsibility: 'Nguyễn Du ; Đào Duy Anh khảo đính',
    authors: 'Nguyễn Du\r\nĐào Duy Anh',
    publisher: 'Văn học',
    place: 'Hà Nội',
    year: '2015',
    edition: '',
    pages: '215 tr.',
    series: '',
    isbn,
    subjects: 'Văn học Việt Nam -- Thơ\r\nTruyện thơ',
    classScheme: 'ddc',
    classNumber: '895.9221',
    language: 'vie',
    materialType: 'book',
    summary: '',
    notes: '',
    ...extra,
  });

  const createSimple = async (jar: Jar, title: string, isbn: string, extra: Record<string, string> = {}) => {
    const res = await post(jar, '/staff/catalogue/records/new/simple', '/staff/catalogue/records/new/simple', simple(title, isbn, extra));
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    return recordIdOf(res.headers.location);
  };

  const addItem = (jar: Jar, recordId: number, barcode: string, owner: string) =>
    post(jar, `/staff/catalogue/records/${recordId}/items/new`, `/staff/catalogue/records/${recordId}/items/new`, { barcode, ownerUnitCode: owner, status: 'available', shelvingLocation: 'Kho mượn' });

  it('creates a record with the simple form: a correct MARC21 record, shown on its page', async () => {
    const before = await count();
    const id = await createSimple(commlib, 'Truyện Kiều', `978-604-00-0001-9`);
    expect(await count()).toBe(before + 1);
    const marc = await stored(id);
    expect(marc.leader).toMatch(/^.{5}nam a22.{5}7i 4500$/);
    const f245 = data(marc, '245')[0]!;
    expect([f245.ind1, f245.ind2]).toEqual(['1', '0']);
    expect(f245.subfields).toEqual([
      { code: 'a', value: 'Truyện Kiều /' },
      { code: 'c', value: 'Nguyễn Du ; Đào Duy Anh khảo đính.' },
    ]);
    expect(sub(data(marc, '100')[0], 'a')).toBe('Nguyễn Du');
    expect(data(marc, '100')[0]!.ind1).toBe('0');
    expect(sub(data(marc, '700')[0], 'a')).toBe('Đào Duy Anh');
    expect(data(marc, '264')[0]).toEqual({
      tag: '264',
      ind1: ' ',
      ind2: '1',
      subfields: [
        { code: 'a', value: 'Hà Nội :' },
        { code: 'b', value: 'Văn học,' },
        { code: 'c', value: '2015.' },
      ],
    });
    expect(sub(data(marc, '020')[0], 'a')).toBe(ISBN[0]);
    expect(data(marc, '082')[0]).toMatchObject({ ind1: '0', ind2: '4', subfields: [{ code: 'a', value: '895.9221' }] });
    expect(data(marc, '650').map((f) => f.subfields)).toEqual([
      [
        { code: 'a', value: 'Văn học Việt Nam' },
        { code: 'x', value: 'Thơ' },
      ],
      [{ code: 'a', value: 'Truyện thơ' }],
    ]);
    expect(sub(data(marc, '300')[0], 'a')).toBe('215 tr.');
    const f008 = marc.fields.find((f) => f.tag === '008') as { value: string };
    expect(f008.value).toHaveLength(40);
    expect(f008.value.slice(7, 11)).toBe('2015');
    expect(f008.value.slice(35, 38)).toBe('vie');
    expect((await env.container.services.catalog.get(id)).record.ownerUnitId).toBe(env.tree.communeA1.id);

    const page = await get(env.app, commlib, `/staff/catalogue/records/${id}?ok=staff.catalog.saved`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Đã lưu biểu ghi.');
    expect(page.body).toContain('Truyện Kiều');
    expect(page.body).toContain('Văn học Việt Nam -- Thơ');
    expect(page.body).toContain('245 10 $a Truyện Kiều / $c Nguyễn Du ; Đào Duy Anh khảo đính.');
    expect(page.body).toContain(`href="/staff/catalogue/records/${id}/marc"`);

    // The landing page lists it and finds it by number, barcode-less ISBN and number.
    const landing = await get(env.app, commlib, '/staff/catalogue');
    expect(landing.body).toContain(`href="/staff/catalogue/records/${id}"`);
    const byIsbn = await get(env.app, commlib, `/staff/catalogue?q=${encodeURIComponent('978-604-00-0001-9')}`);
    expect(byIsbn.statusCode).toBe(303);
    expect(byIsbn.headers.location).toBe(`/staff/catalogue/records/${id}`);
    const byNumber = await get(env.app, commlib, `/staff/catalogue?q=%23${id}`);
    expect(byNumber.headers.location).toBe(`/staff/catalogue/records/${id}`);
    const none = await get(env.app, commlib, '/staff/catalogue?q=NOTHING-HERE');
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('Không tìm thấy biểu ghi nào');
  });

  it('shows the simple form’s own problems next to the fields and saves nothing', async () => {
    const before = await count();
    const res = await post(commlib, '/staff/catalogue/records/new/simple', '/staff/catalogue/records/new/simple', simple('', '978-604-00-0001-0', { year: '15' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Vui lòng nhập nhan đề.');
    expect(res.body).toContain('Năm xuất bản “15” phải gồm 4 chữ số');
    expect(res.body).toContain('ISBN “978-604-00-0001-0” không đúng');
    expect(res.body).toMatch(/Nguyễn Du\r?\nĐào Duy Anh/); // input kept
    expect(await count()).toBe(before);
  });

  it('checks a record in the MARC editor without saving it, with problems next to their rows', async () => {
    const before = await count();
    const form = editorForm(LEADER, [
      ['008', '', '', F008],
      ['245', '1', '0', '$a Một nhan đề'],
      ['245', '1', '0', '$a Nhan đề thứ hai'],
      ['100', '0', '#', '$a Ai đó'],
    ]);
    const check = await post(commlib, '/staff/catalogue/records/new/marc', '/staff/catalogue/records/new/marc', { ...form, action: 'check', unitId: String(env.tree.communeA1.id) });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Trường 245 không được lặp lại.');
    expect(check.body).toMatch(/<div class="marc-row has-error" id="row-2">/);
    expect(check.body).toContain('Nhan đề thứ hai'); // input kept
    expect(await count()).toBe(before);

    const save = await post(commlib, '/staff/catalogue/records/new/marc', '/staff/catalogue/records/new/marc', { ...form, action: 'save', ack: '1', unitId: String(env.tree.communeA1.id) });
    expect(save.statusCode).toBe(400);
    expect(save.body).toContain('Trường 245 không được lặp lại.');
    expect(await count()).toBe(before);

    // Text that cannot be read: shown next to its row, nothing saved.
    const unreadable = editorForm(LEADER, [
      ['008', '', '', F008],
      ['24', '1', '0', '$a Nhan đề'],
      ['245', '1', '0', 'Nhan đề không có dấu đô la'],
    ]);
    const bad = await post(commlib, '/staff/catalogue/records/new/marc', '/staff/catalogue/records/new/marc', { ...unreadable, action: 'save', ack: '1', unitId: String(env.tree.communeA1.id) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Nhãn “24” không đọc được');
    expect(bad.body).toContain('Trường 245: phần trường con phải bắt đầu bằng $');
    expect(bad.body).toMatch(/<div class="marc-row has-error" id="row-1">/);
    expect(bad.body).toMatch(/<div class="marc-row has-error" id="row-2">/);
    expect(await count()).toBe(before);
  });

  it('asks before saving a record with warnings, then saves it', async () => {
    const before = await count();
    const form = {
      ...editorForm(LEADER, [
        ['008', '', '', F008],
        ['020', '#', '#', '$a 9786040000010'], // wrong check digit: a warning
        ['100', '0', '#', '$a Tô Hoài'],
        ['245', '1', '0', '$a Dế Mèn phiêu lưu ký / $c Tô Hoài.'],
      ]),
      action: 'save',
      unitId: String(env.tree.communeA1.id),
    };
    const first = await post(commlib, '/staff/catalogue/records/new/marc', '/staff/catalogue/records/new/marc', form);
    expect(first.statusCode).toBe(409);
    expect(first.body).toContain('ISBN “9786040000010” sai số kiểm tra hoặc sai độ dài.');
    expect(first.body).toContain('name="ack"');
    expect(await count()).toBe(before);
    const second = await postForm(env.app, commlib, '/staff/catalogue/records/new/marc', { ...form, ack: '1', _csrf: csrfFrom(first.body) });
    expect(second.statusCode).toBe(303);
    const id = recordIdOf(second.headers.location);
    expect(sub(data(await stored(id), '245')[0], 'a')).toBe('Dế Mèn phiêu lưu ký /');
    expect(await count()).toBe(before + 1);
  });

  it('warns about a duplicate, lists it, and creates anyway when confirmed', async () => {
    const first = await createSimple(commlib, 'Số đỏ', ISBN[1]!, { authors: 'Vũ Trọng Phụng', responsibility: 'Vũ Trọng Phụng' });
    const before = await count();
    const form = simple('Số đỏ (tái bản)', ISBN[1]!, { authors: 'Vũ Trọng Phụng', responsibility: 'Vũ Trọng Phụng' });
    const dup = await post(commlib, '/staff/catalogue/records/new/simple', '/staff/catalogue/records/new/simple', form);
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('Biểu ghi này có vẻ đã có trong mục lục.');
    expect(dup.body).toContain(`href="/staff/catalogue/records/${first}"`);
    expect(dup.body).toContain('name="allowDuplicate"');
    expect(await count()).toBe(before);
    const again = await postForm(env.app, commlib, '/staff/catalogue/records/new/simple', { ...form, allowDuplicate: '1', _csrf: csrfFrom(dup.body) });
    expect(again.statusCode).toBe(303);
    expect(recordIdOf(again.headers.location)).not.toBe(first);
    expect(await count()).toBe(before + 1);
  });

  it('refuses an edit made on a stale version and keeps the input; edits through the simple form keep other fields', async () => {
    const created = await post(commlib, '/staff/catalogue/records/new/marc', '/staff/catalogue/records/new/marc', {
      ...editorForm(LEADER, [
        ['008', '', '', F008],
        ['035', '#', '#', '$a (KG)42'],
        ['100', '0', '#', '$a Nam Cao'],
        ['245', '1', '0', '$a Chí Phèo / $c Nam Cao.'],
        ['700', '0', '#', '$a Hà Minh Đức $e giới thiệu'],
        ['856', '4', '0', '$u https://example.org/chi-pheo'],
        ['999', '#', '#', '$a local'],
      ]),
      action: 'save',
      unitId: String(env.tree.communeA1.id),
    });
    expect(created.statusCode, created.body.slice(0, 3000)).toBe(303);
    const id = recordIdOf(created.headers.location);

    const editor = await get(env.app, commlib, `/staff/catalogue/records/${id}/marc`);
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('$a Chí Phèo / $c Nam Cao.');
    const version = versionIn(editor.body);
    const rows = readEditorForm(Object.fromEntries([...editor.body.matchAll(/name="(f\d+\.(?:tag|ind1|ind2))" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])));
    expect(rows.rows.length).toBe(7);
    const form = {
      ...editorForm(LEADER, [
        ['008', '', '', F008],
        ['100', '0', '#', '$a Nam Cao'],
        ['245', '1', '0', '$a Chí Phèo (bản sửa) / $c Nam Cao.'],
      ]),
      action: 'save',
      version: String(Number(version) - 1),
    };
    const stale = await postForm(env.app, commlib, `/staff/catalogue/records/${id}/marc`, { ...form, _csrf: csrfFrom(editor.body) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Người khác vừa sửa mục này.');
    expect(stale.body).toContain('Chí Phèo (bản sửa)');
    expect(sub(data(await stored(id), '245')[0], 'a')).toBe('Chí Phèo /');

    const simpleForm = await get(env.app, commlib, `/staff/catalogue/records/${id}/simple`);
    expect(simpleForm.statusCode).toBe(200);
    expect(simpleForm.body).toContain('value="Chí Phèo"');
    const edited = await postForm(env.app, commlib, `/staff/catalogue/records/${id}/simple`, {
      _csrf: csrfFrom(simpleForm.body),
      version: versionIn(simpleForm.body),
      title: 'Chí Phèo và các truyện khác',
      responsibility: 'Nam Cao',
      authors: 'Nam Cao\nHà Minh Đức',
      year: '1999',
      language: 'vie',
      materialType: 'book',
      classScheme: 'ddc',
    });
    expect(edited.statusCode, edited.body.slice(0, 3000)).toBe(303);
    const marc = await stored(id);
    expect(sub(data(marc, '245')[0], 'a')).toBe('Chí Phèo và các truyện khác /');
    expect(sub(data(marc, '856')[0], 'u')).toBe('https://example.org/chi-pheo');
    expect(sub(data(marc, '035')[0], 'a')).toBe('(KG)42');
    expect(sub(data(marc, '999')[0], 'a')).toBe('local');
    expect(sub(data(marc, '700')[0], 'e')).toBe('giới thiệu');
    expect(sub(data(marc, '264')[0], 'c')).toBe('1999.');
  });

  it('adds, edits and withdraws items; a barcode in use is refused', async () => {
    const id = await createSimple(commlib, 'Tắt đèn', ISBN[2]!, { authors: 'Ngô Tất Tố', responsibility: 'Ngô Tất Tố' });
    const added = await addItem(commlib, id, 'a1-0001', 'COMM-A1');
    expect(added.statusCode, added.body.slice(0, 3000)).toBe(303);
    expect(String(added.headers.location)).toMatch(new RegExp(`^/staff/catalogue/records/${id}\\?ok=staff.catalog.item.added#item-\\d+$`));
    const page = await get(env.app, commlib, `/staff/catalogue/records/${id}`);
    expect(page.body).toContain('A1-0001');
    expect(page.body).toContain('Thư viện COMM-A1 (COMM-A1)');
    expect(page.body).toContain('Kho mượn');
    expect(page.body).toContain('895.9221'); // the record's call number is the item's

    const taken = await addItem(commlib, id, 'A1-0001', 'COMM-A1');
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Mã vạch A1-0001 đã được dùng');
    const invalid = await addItem(commlib, id, 'x', 'COMM-A1');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Mã vạch “x” không hợp lệ');

    const item = await env.container.services.catalog.getItemByBarcode('A1-0001');
    const byBarcode = await get(env.app, commlib, '/staff/catalogue?q=a1-0001');
    expect(byBarcode.headers.location).toBe(`/staff/catalogue/records/${id}`);
    const edit = await post(commlib, `/staff/catalogue/items/${item.id}/edit`, `/staff/catalogue/items/${item.id}/edit`, {
      version: String(item.version),
      barcode: 'A1-0001',
      ownerUnitCode: 'COMM-A1',
      shelvingLocation: 'Kho đọc',
      callNumber: '895.9223 NG-T',
      status: 'not-for-loan',
      price: '45.000 đ',
    });
    expect(edit.statusCode, edit.body.slice(0, 3000)).toBe(303);
    const edited = await env.container.services.catalog.getItem(item.id);
    expect(edited).toMatchObject({ shelvingLocation: 'Kho đọc', callNumber: '895.9223 NG-T', status: 'not-for-loan', price: 45000, currency: 'VND' });
    const staleEdit = await post(commlib, `/staff/catalogue/items/${item.id}/edit`, `/staff/catalogue/items/${item.id}/edit`, { version: String(item.version), barcode: 'A1-0001', ownerUnitCode: 'COMM-A1', status: 'available' });
    expect(staleEdit.statusCode).toBe(409);

    const confirm = await get(env.app, commlib, `/staff/catalogue/items/${item.id}/withdraw`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('name="reason"');
    const withdrawn = await postForm(env.app, commlib, `/staff/catalogue/items/${item.id}/withdraw`, { _csrf: csrfFrom(confirm.body), reason: 'Rách nát' });
    expect(withdrawn.statusCode).toBe(303);
    expect((await env.container.services.catalog.getItem(item.id)).status).toBe('withdrawn');
    const after = await get(env.app, commlib, `/staff/catalogue/records/${id}`);
    expect(after.body).toContain('Đã thanh lý');
  });

  it('follows the tree: a commune librarian catalogues at home but not another library’s items or shared records', async () => {
    const id = await createSimple(commlib, 'Vợ chồng A Phủ', ISBN[3]!, { authors: 'Tô Hoài', responsibility: 'Tô Hoài' });
    expect((await addItem(commlib, id, 'A1-0100', 'COMM-A1')).statusCode).toBe(303);
    // commlib may not put an item under another library.
    const elsewhere = await addItem(commlib, id, 'A1-0101', 'COMM-B1');
    expect(elsewhere.statusCode).toBe(403);
    // Another commune adds its own copy: the record is now shared with a library commlib does not reach.
    expect((await addItem(otherlib, id, 'B1-0100', 'COMM-B1')).statusCode).toBe(303);
    const theirs = await env.container.services.catalog.getItemByBarcode('B1-0100');

    const editForm = await get(env.app, commlib, `/staff/catalogue/items/${theirs.id}/edit`);
    expect(editForm.statusCode).toBe(403);
    const page = await get(env.app, commlib, `/staff/catalogue/records/${id}`);
    const refused = await postForm(env.app, commlib, `/staff/catalogue/items/${theirs.id}/edit`, {
      _csrf: csrfFrom(page.body),
      version: String(theirs.version),
      barcode: 'B1-0100',
      ownerUnitCode: 'COMM-B1',
      status: 'lost',
    });
    expect(refused.statusCode).toBe(403);
    const withdraw = await postForm(env.app, commlib, `/staff/catalogue/items/${theirs.id}/withdraw`, { _csrf: csrfFrom(page.body) });
    expect(withdraw.statusCode).toBe(403);
    expect((await env.container.services.catalog.getItem(theirs.id)).status).toBe('available');

    // The record page offers commlib no editing, and the editor refuses.
    expect(page.body).not.toContain(`href="/staff/catalogue/records/${id}/marc"`);
    expect(page.body).not.toContain(`href="/staff/catalogue/items/${theirs.id}/edit"`);
    expect(page.body).toContain(`href="/staff/catalogue/items/${(await env.container.services.catalog.getItemByBarcode('A1-0100')).id}/edit"`);
    expect((await get(env.app, commlib, `/staff/catalogue/records/${id}/marc`)).statusCode).toBe(403);
    const version = (await env.container.services.catalog.get(id)).record.version;
    const edit = await postForm(env.app, commlib, `/staff/catalogue/records/${id}/marc`, {
      ...editorForm(LEADER, [
        ['008', '', '', F008],
        ['245', '0', '0', '$a Đổi nhan đề'],
      ]),
      action: 'save',
      ack: '1',
      version: String(version),
      _csrf: csrfFrom(page.body),
    });
    expect(edit.statusCode).toBe(403);
    expect((await env.container.services.catalog.get(id)).record.title).toContain('Vợ chồng A Phủ');
    // The network's administrator edits shared records.
    expect((await get(env.app, netadmin, `/staff/catalogue/records/${id}/marc`)).statusCode).toBe(200);
  });

  it('refuses to delete a record with live items, then deletes it leaving a tombstone, and lists its history', async () => {
    const id = await createSimple(commlib, 'Nhật ký trong tù', ISBN[4]!, { authors: 'Hồ Chí Minh', responsibility: 'Hồ Chí Minh' });
    expect((await addItem(commlib, id, 'A1-0200', 'COMM-A1')).statusCode).toBe(303);
    const confirm = await get(env.app, commlib, `/staff/catalogue/records/${id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Biểu ghi còn 1 bản tài liệu chưa thanh lý');
    const refused = await postForm(env.app, commlib, `/staff/catalogue/records/${id}/delete`, { _csrf: csrfFrom(confirm.body), version: versionIn(confirm.body) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Biểu ghi còn 1 bản tài liệu');

    const item = await env.container.services.catalog.getItemByBarcode('A1-0200');
    const w = await get(env.app, commlib, `/staff/catalogue/items/${item.id}/withdraw`);
    expect((await postForm(env.app, commlib, `/staff/catalogue/items/${item.id}/withdraw`, { _csrf: csrfFrom(w.body), reason: 'Mất' })).statusCode).toBe(303);
    const again = await get(env.app, commlib, `/staff/catalogue/records/${id}/delete`);
    const deleted = await postForm(env.app, commlib, `/staff/catalogue/records/${id}/delete`, { _csrf: csrfFrom(again.body), version: versionIn(again.body) });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/staff/catalogue?ok=staff.catalog.deleted');

    const tomb = await get(env.app, commlib, `/staff/catalogue/records/${id}`);
    expect(tomb.statusCode).toBe(410);
    expect(tomb.body).toContain(`Biểu ghi ${id} đã bị xoá lúc`);
    expect((await get(env.app, commlib, `/staff/catalogue/records/${id}/marc`)).statusCode).toBe(410);

    const history = await get(env.app, commlib, `/staff/catalogue/records/${id}/history`);
    expect(history.statusCode).toBe(200);
    for (const text of ['Tạo biểu ghi', 'Thêm bản tài liệu', 'Thanh lý bản tài liệu', 'Xoá biểu ghi', 'lý do: Mất', 'commlib']) expect(history.body).toContain(text);
    expect(history.body.indexOf('Xoá biểu ghi')).toBeLessThan(history.body.indexOf('Tạo biểu ghi')); // newest first
  });

  it('answers bad addresses with a 404 page', async () => {
    for (const url of ['/staff/catalogue/records/abc', '/staff/catalogue/records/99999999', '/staff/catalogue/records/1e3/marc', '/staff/catalogue/items/x/edit', '/staff/catalogue/items/99999999/edit', '/staff/catalogue/records/99999999999/history']) {
      const res = await get(env.app, commlib, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('text/html');
    }
  });

  it('sends visitors who are not signed in to the sign-in page', async () => {
    const res = await env.app.inject('/staff/catalogue/records/new/simple');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/staff/login?next=');
  });

  it('serves the English pages too', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const res = await get(env.app, jar, '/staff/catalogue/records/new/marc', { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('New record: MARC editor');
    expect(res.body).toContain('Title Statement');
  });
});
