/**
 * Benchmark `marc`: our MARC codec against yaz-marcdump (Index Data's C toolkit, the reference
 * MARC converter), on the same file, on the same machine.
 *
 * The data: N generated bibliographic records (20,000 at `small`, 1,000,000 at `full`), UTF-8,
 * 2 to 40 fields each, with Vietnamese titles, names, publishers and subjects and some foreign
 * ones (English, French, German, Russian, Chinese, Japanese), written to a temporary ISO 2709 file
 * by our own streaming writer. Generation is seeded, so every run has the same file.
 *
 * Measured, each as the median of several rounds that take turns:
 *   (a) ISO 2709 → MARCXML, file to file: ours streams the file through `iso2709ToMarcXml` into a
 *       write stream; yaz runs `yaz-marcdump -i marc -o marcxml <file> > out` as a child process.
 *   (a′) the same conversion through the record API: `readIso2709Stream` → `recordsOnly` →
 *       `marcXmlChunks`, every record becoming a `MarcRecord` on the way (what an import does).
 *   (b) parse only: ours reads every record into a `MarcRecord` with `readIso2709Stream`; yaz runs
 *       `yaz-marcdump -n`.
 * Reported: records/s and MB/s of input, and the ratio ours ÷ yaz (above 1 = we are faster).
 * Checked: both our MARCXML outputs are byte for byte yaz's (our writer lays MARCXML out as yaz
 * does), and every parser saw every record; any difference fails the run.
 *
 * Without yaz-marcdump on the PATH (Debian package `yaz`), the run says so and reports ours only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { iso2709ToMarcXml } from '../src/codecs/marc/convert.js';
import { readIso2709Stream, recordsOnly } from '../src/codecs/marc/parse-stream.js';
import type { MarcField, MarcRecord } from '../src/codecs/marc/record.js';
import { iso2709Chunks, marcXmlChunks } from '../src/codecs/marc/write-stream.js';
import { BenchFailure, type BenchContext, type Size } from './lib/context.js';
import { formatCount, formatTable, machine, pick, randomInt, seededRandom, writeResult } from './lib/measure.js';

interface Plan {
  records: number;
  rounds: number;
}

const PLANS: Record<Size, Plan> = {
  small: { records: 20_000, rounds: 3 },
  full: { records: 1_000_000, rounds: 3 },
};

const SEED = 20_251_124;

// ------------------------------------------------------------------------ vocabulary
// Copied from ../shared/data/vocab/vi-vocabulary.json (compiled for this project), with a few
// foreign titles and names of our own.

const TITLE_WORDS = [
  'Việt Nam', 'lịch sử', 'văn học', 'giáo trình', 'kinh tế', 'phát triển', 'nông nghiệp', 'thư viện', 'khoa học', 'kỹ thuật', 'công nghệ',
  'thông tin', 'hướng dẫn', 'tiếng Anh', 'truyện ngắn', 'tuyển tập', 'tiểu thuyết', 'thơ', 'Hồ Chí Minh', 'tư tưởng', 'đạo đức', 'pháp luật',
  'quản lý', 'nhà nước', 'xã hội', 'văn hóa', 'du lịch', 'đồng bằng sông Cửu Long', 'nuôi trồng thủy sản', 'cây lúa', 'giáo dục', 'trẻ em',
  'sức khỏe', 'y học', 'toán học', 'vật lý', 'hóa học', 'sinh học', 'địa lý', 'chiến tranh', 'kháng chiến', 'cách mạng', 'nghiên cứu', 'cơ sở',
  'nhập môn', 'từ điển', 'Anh - Việt', 'Kiên Giang', 'Hà Nội', 'Sài Gòn', 'miền Nam', 'miền Bắc', 'Tây Nguyên', 'dân tộc', 'phong tục',
  'tập quán', 'lễ hội', 'ẩm thực', 'âm nhạc', 'mỹ thuật', 'kiến trúc', 'môi trường', 'biến đổi khí hậu', 'tài nguyên', 'nước', 'đất đai', 'rừng',
  'biển đảo', 'Trường Sa', 'Hoàng Sa', 'kế toán', 'tài chính', 'ngân hàng', 'doanh nghiệp', 'thương mại', 'tin học', 'lập trình',
  'cơ sở dữ liệu', 'trí tuệ nhân tạo', 'điện tử', 'xây dựng', 'giao thông', 'năng lượng', 'nhân vật', 'danh nhân', 'truyện cổ tích', 'ca dao',
  'tục ngữ', 'văn học dân gian', 'hồi ký', 'tùy bút', 'phóng sự', 'triết học', 'tâm lý học', 'ngôn ngữ học', 'tiếng Việt', 'ngữ pháp',
  'sách giáo khoa', 'lớp 5', 'lớp 12', 'ôn thi', 'bài tập', 'kỹ năng sống', 'gia đình', 'phụ nữ', 'thanh niên', 'nông thôn mới', 'đô thị',
  'làng nghề', 'chăn nuôi', 'trồng trọt', 'dinh dưỡng', 'thể dục thể thao', 'bóng đá', 'Phật giáo', 'tín ngưỡng', 'đình chùa', 'di tích',
  'khảo cổ', 'thế kỷ XX', 'triều Nguyễn', 'nhà Trần', 'Đông Nam Á', 'quan hệ quốc tế', 'hội nhập', 'chuyển đổi số', 'khởi nghiệp', 'đổi mới',
  'tuổi thơ', 'quê hương', 'đất nước', 'mùa xuân', 'dòng sông', 'rừng U Minh', 'Phú Quốc', 'Hà Tiên', 'Rạch Giá', 'Cần Thơ', 'An Giang', 'Cà Mau',
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trương', 'Lâm', 'Mai'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quốc', 'Xuân', 'Thu', 'Kim', 'Công', 'Đình', 'Hồng'];
const GIVEN = ['Anh', 'Hùng', 'Dũng', 'Lan', 'Hương', 'Hải', 'Hà', 'Tuấn', 'Nam', 'Bình', 'Châu', 'Sơn', 'Long', 'Hạnh', 'Linh', 'Phúc', 'Thảo', 'Thủy', 'Thuỷ', 'Hòa', 'Hoà', 'Kỳ', 'Kì', 'Mỹ', 'Mĩ'];
const PUBLISHERS = [
  'Nxb. Giáo dục Việt Nam', 'Nxb. Trẻ', 'Nxb. Kim Đồng', 'Nxb. Chính trị quốc gia Sự thật', 'Nxb. Văn học', 'Nxb. Tổng hợp Thành phố Hồ Chí Minh',
  'Nxb. Khoa học xã hội', 'Nxb. Nông nghiệp', 'Nxb. Hội Nhà văn', 'Nxb. Đại học Quốc gia Hà Nội', 'Nxb. Thanh niên', 'Nxb. Phụ nữ Việt Nam',
];
const PLACES = ['Hà Nội', 'Thành phố Hồ Chí Minh', 'Đà Nẵng', 'Huế', 'Cần Thơ', 'Rạch Giá'];
const FOREIGN_TITLES = [
  'A history of Vietnam', 'The sorrow of war', 'Introduction to library science', 'Climate change in the Mekong Delta', 'Le Vietnam colonial',
  'Histoire de la littérature vietnamienne', 'Die Geschichte Südostasiens', 'Война и мир', 'Краткая история Вьетнама', '越南历史', '図書館情報学概論',
];
const FOREIGN_NAMES = ['Smith, John', 'Taylor, Keith Weller', 'Brocheux, Pierre', 'Müller, Jürgen', 'Толстой, Лев Николаевич', '王小波', '村上春樹'];
const FOREIGN_PUBLISHERS: Array<[string, string]> = [['Cambridge', 'Cambridge University Press'], ['Paris', 'Gallimard'], ['Москва', 'Наука'], ['東京', '岩波書店'], ['Berlin', 'Springer']];

// ------------------------------------------------------------------------ data

const df = (tag: string, ind1: string, ind2: string, ...pairs: Array<[string, string]>): MarcField => ({ tag, ind1, ind2, subfields: pairs.map(([code, value]) => ({ code, value })) });

function personName(rnd: () => number): string {
  return `${pick(rnd, FAMILY)} ${pick(rnd, MIDDLE)} ${pick(rnd, GIVEN)}`;
}

function title(rnd: () => number): string {
  const words = Array.from({ length: randomInt(rnd, 1, 5) }, () => pick(rnd, TITLE_WORDS)).join(' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

/** One record of 2 to 40 fields, most of them between 10 and 25, as real catalogues have. */
function makeRecord(rnd: () => number, n: number): MarcRecord {
  const foreign = rnd() < 0.15;
  const year = randomInt(rnd, 1960, 2025);
  const target = rnd() < 0.05 ? randomInt(rnd, 2, 6) : rnd() < 0.1 ? randomInt(rnd, 26, 40) : randomInt(rnd, 8, 25);
  const author = foreign ? pick(rnd, FOREIGN_NAMES) : personName(rnd);
  const t = foreign ? pick(rnd, FOREIGN_TITLES) : title(rnd);
  const [place, publisher] = foreign ? pick(rnd, FOREIGN_PUBLISHERS) : [pick(rnd, PLACES), pick(rnd, PUBLISHERS)];
  const fields: MarcField[] = [
    { tag: '001', value: `LT${String(n).padStart(9, '0')}` },
    { tag: '008', value: `250101s${year}    vm            000 0 ${foreign ? 'eng' : 'vie'} d` },
  ];
  const optional: Array<() => MarcField> = [
    () => ({ tag: '003', value: 'VN-LienThong' }),
    () => ({ tag: '005', value: `2025${String(randomInt(rnd, 1, 12)).padStart(2, '0')}15103000.0` }),
    () => df('020', ' ', ' ', ['a', `978604${randomInt(rnd, 1_000_000, 9_999_999)}`], ['c', `${randomInt(rnd, 20, 400)}000đ`]),
    () => df('040', ' ', ' ', ['a', 'VN-LT'], ['b', 'vie'], ['e', 'rda']),
    () => df('041', '0', ' ', ['a', foreign ? 'eng' : 'vie']),
    () => df('082', '0', '4', ['a', `${randomInt(rnd, 100, 999)}.${randomInt(rnd, 1, 99)}`], ['2', '23']),
    () => df('100', '0', ' ', ['a', `${author},`], ['e', 'tác giả']),
    () => df('250', ' ', ' ', ['a', `Tái bản lần thứ ${randomInt(rnd, 1, 9)}`]),
    () => df('264', ' ', '1', ['a', `${place} :`], ['b', `${publisher},`], ['c', String(year)]),
    () => df('300', ' ', ' ', ['a', `${randomInt(rnd, 40, 900)} tr. :`], ['b', 'minh họa ;'], ['c', `${randomInt(rnd, 14, 30)} cm`]),
    () => df('336', ' ', ' ', ['a', 'văn bản'], ['b', 'txt'], ['2', 'rdacontent']),
    () => df('490', '0', ' ', ['a', `Tủ sách ${pick(rnd, TITLE_WORDS)}`]),
    () => df('500', ' ', ' ', ['a', `Đầu trang tên sách ghi: ${pick(rnd, PUBLISHERS)}`]),
    () => df('504', ' ', ' ', ['a', `Thư mục: tr. ${randomInt(rnd, 100, 400)}-${randomInt(rnd, 401, 450)}`]),
    () => df('520', ' ', ' ', ['a', `Trình bày ${pick(rnd, TITLE_WORDS)}, ${pick(rnd, TITLE_WORDS)} và ${pick(rnd, TITLE_WORDS)} của ${pick(rnd, TITLE_WORDS)}; giới thiệu ${pick(rnd, TITLE_WORDS)} ở ${pick(rnd, PLACES)}.`]),
    () => df('650', ' ', '7', ['a', title(rnd)], ['x', pick(rnd, TITLE_WORDS)], ['2', 'Bộ TK TVQG']),
    () => df('651', ' ', '7', ['a', pick(rnd, PLACES)], ['x', 'Lịch sử'], ['2', 'Bộ TK TVQG']),
    () => df('653', ' ', ' ', ['a', pick(rnd, TITLE_WORDS)]),
    () => df('700', '0', ' ', ['a', `${personName(rnd)},`], ['e', 'biên soạn']),
    () => df('852', ' ', ' ', ['a', 'Thư viện tỉnh Kiên Giang'], ['b', 'Kho mượn'], ['j', `VV.${randomInt(rnd, 1, 99_999)}`]),
    () => df('856', '4', '0', ['u', `https://lienthong.example.vn/ban-so/${n}`]),
  ];
  fields.push(df('245', '1', '0', ['a', `${t} /`], ['c', author]));
  while (fields.length < target) fields.push(pick(rnd, optional)());
  fields.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { leader: '00000nam a2200000 i 4500', fields };
}

/** The benchmark's records, the same on every run. */
export function* generateRecords(count: number): Generator<MarcRecord> {
  const rnd = seededRandom(SEED);
  for (let i = 1; i <= count; i++) yield makeRecord(rnd, i);
}

// ------------------------------------------------------------------------ contenders

interface Run {
  seconds: number;
  records: number;
}

async function oursConvert(input: string, output: string): Promise<Run> {
  rmSync(output, { force: true }); // the previous round's pages need not be written back first
  let issues = 0;
  const t0 = process.hrtime.bigint();
  await pipeline(
    Readable.from(iso2709ToMarcXml(createReadStream(input, { highWaterMark: 1 << 20 }), { chunkSize: 1 << 20, onIssue: () => issues++ })),
    createWriteStream(output),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (issues > 0) throw new BenchFailure(`our converter reported ${issues} problems in generated records`);
  return { seconds, records: -1 };
}

async function oursConvertViaRecords(input: string, output: string): Promise<Run> {
  rmSync(output, { force: true });
  let records = 0;
  let failed = 0;
  const t0 = process.hrtime.bigint();
  const source = recordsOnly(readIso2709Stream(createReadStream(input, { highWaterMark: 1 << 20 })), () => failed++);
  async function* counted() {
    for await (const r of source) {
      records++;
      yield r;
    }
  }
  await pipeline(Readable.from(marcXmlChunks(counted(), { chunkSize: 1 << 20 })), createWriteStream(output));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (failed > 0) throw new BenchFailure(`our reader failed ${failed} generated records`);
  return { seconds, records };
}

async function oursParse(input: string): Promise<Run> {
  let records = 0;
  const t0 = process.hrtime.bigint();
  for await (const r of readIso2709Stream(createReadStream(input, { highWaterMark: 1 << 20 }))) {
    if (!r.ok || r.warnings.length > 0) throw new BenchFailure(`our reader: ${r.ok ? r.warnings[0]!.message : r.error.message}`);
    records++;
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, records };
}

/**
 * Runs yaz-marcdump with its stdout going straight to `output` (a file descriptor, as a shell's
 * `> out` gives it) or to /dev/null; resolves with the wall time.
 */
function yaz(args: string[], output?: string): Promise<number> {
  if (output) rmSync(output, { force: true });
  return new Promise((resolve, reject) => {
    const fd = openSync(output ?? '/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const child = spawn('yaz-marcdump', args, { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      closeSync(fd);
      reject(e);
    });
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      closeSync(fd);
      if (code !== 0) reject(new BenchFailure(`yaz-marcdump ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
      else resolve(seconds);
    });
  });
}

function yazVersion(): string | undefined {
  const r = spawnSync('yaz-marcdump', ['-V'], { encoding: 'utf8' });
  if (r.error) return undefined;
  return (r.stdout || r.stderr).trim().split('\n')[0] || 'yaz-marcdump';
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// ------------------------------------------------------------------------ run

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-marc-'));
  try {
    const input = join(dir, 'records.mrc');
    ctx.log(`Generating ${formatCount(plan.records)} records into ${input} …`);
    const tg = Date.now();
    await pipeline(Readable.from(iso2709Chunks(generateRecords(plan.records), { chunkSize: 1 << 20 })), createWriteStream(input));
    const bytes = statSync(input).size;
    const mb = bytes / 1e6;
    ctx.log(`  ${formatCount(bytes)} bytes (${mb.toFixed(1)} MB), ${(bytes / plan.records).toFixed(0)} bytes a record, in ${((Date.now() - tg) / 1000).toFixed(1)} s`);

    const version = yazVersion();
    if (!version) ctx.log('yaz-marcdump is not installed (Debian: apt-get install yaz): reporting our codec only, no ratios.');
    else ctx.log(`Reference: ${version}`);

    const times: Record<string, number[]> = { oursConvert: [], oursConvertViaRecords: [], yazConvert: [], oursParse: [], yazParse: [] };
    const oursXml = join(dir, 'ours.xml');
    const oursXml2 = join(dir, 'ours-via-records.xml');
    const yazXml = join(dir, 'yaz.xml');
    for (let r = 0; r < plan.rounds; r++) {
      const steps: Array<[string, () => Promise<void>]> = [
        ['oursConvert', async () => void times.oursConvert!.push((await oursConvert(input, oursXml)).seconds)],
        ['oursConvertViaRecords', async () => {
          const o = await oursConvertViaRecords(input, oursXml2);
          if (o.records !== plan.records) throw new BenchFailure(`our record pipeline wrote ${o.records} records, not ${plan.records}`);
          times.oursConvertViaRecords!.push(o.seconds);
        }],
        ['oursParse', async () => {
          const o = await oursParse(input);
          if (o.records !== plan.records) throw new BenchFailure(`our parser read ${o.records} records, not ${plan.records}`);
          times.oursParse!.push(o.seconds);
        }],
      ];
      if (version) {
        steps.push(['yazConvert', async () => void times.yazConvert!.push(await yaz(['-i', 'marc', '-o', 'marcxml', input], yazXml))]);
        steps.push(['yazParse', async () => void times.yazParse!.push(await yaz(['-n', input]))]);
      }
      // Take turns, starting with a different contender each round; each starts with the
      // previous one's output written to disk (`sync`), so no one pays for another's writeback.
      for (let k = 0; k < steps.length; k++) {
        const [name, step] = steps[(r + k) % steps.length]!;
        spawnSync('sync');
        await step();
        ctx.log(`  round ${r + 1}: ${name.padEnd(21)} ${times[name]!.at(-1)!.toFixed(2)} s`);
      }
    }

    const [oursHash, ours2Hash] = await Promise.all([sha256(oursXml), sha256(oursXml2)]);
    if (oursHash !== ours2Hash) throw new BenchFailure(`iso2709ToMarcXml and the record pipeline wrote different MARCXML; look at ${dir}`);
    let identical: boolean | undefined;
    if (version) {
      identical = oursHash === (await sha256(yazXml));
      if (!identical) throw new BenchFailure(`our MARCXML (${statSync(oursXml).size} bytes) differs from yaz-marcdump's (${statSync(yazXml).size} bytes); look at ${dir}`);
    }

    const row = (name: string, label: string, ref?: string): string[] => {
      const s = median(times[name]!);
      const cells = [label, formatCount(plan.records / s), (mb / s).toFixed(1), s.toFixed(2)];
      if (ref && times[ref]!.length) cells.push((median(times[ref]!) / s).toFixed(2));
      else cells.push(ref ? '—' : '');
      return cells;
    };
    const rows = [row('oursConvert', '(a) ours: iso2709ToMarcXml, streaming', 'yazConvert')];
    rows.push(row('oursConvertViaRecords', '(a′) ours: via MarcRecord objects', 'yazConvert'));
    if (version) rows.push(row('yazConvert', '(a) yaz-marcdump -i marc -o marcxml'));
    rows.push(row('oursParse', '(b) ours: parse only (readIso2709Stream)', 'yazParse'));
    if (version) rows.push(row('yazParse', '(b) yaz-marcdump -n'));
    ctx.log('');
    ctx.log(`${formatCount(plan.records)} records, ${mb.toFixed(1)} MB; median of ${plan.rounds} rounds`);
    ctx.log(formatTable(['', 'records/s', 'MB/s', 'seconds', '× yaz'], rows));
    if (identical) ctx.log('Our MARCXML (both ways) is byte for byte the same as yaz-marcdump’s.');

    const result = {
      benchmark: 'marc',
      size: ctx.size,
      machine: machine(),
      reference: version ?? null,
      data: { records: plan.records, bytes, seed: SEED },
      rounds: plan.rounds,
      seconds: times,
      recordsPerSecond: Object.fromEntries(Object.entries(times).filter(([, v]) => v.length).map(([k, v]) => [k, plan.records / median(v)])),
      ratios: version
        ? {
            convert: median(times.yazConvert!) / median(times.oursConvert!),
            convertViaRecords: median(times.yazConvert!) / median(times.oursConvertViaRecords!),
            parse: median(times.yazParse!) / median(times.oursParse!),
          }
        : null,
      outputIdenticalToYaz: identical ?? null,
    };
    ctx.log(`Results: ${writeResult(ctx.outDir, 'marc', result)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
