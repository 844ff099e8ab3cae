/**
 * Benchmark `marc-import` (part (c) of the MARC benchmark): the full import of an ISO 2709 file
 * into the union catalogue — parsing, derived fields, matching against what is already there,
 * identifiers, items from 952 fields, a result per record, checkpoints — on SQLite and
 * PostgreSQL, through the same `ImportService` the CLI and the staff page use.
 *
 * Reference, in the same run on the same database: the raw engine storing the same records with
 * nothing else — our codec parses the file and each record's JSON goes into a one-column table,
 * 500 rows a statement, a transaction per batch (better-sqlite3 prepared statements; node-pg
 * multi-row inserts). The ratio (ours ÷ raw, in time) is what the catalogue costs on top of
 * merely keeping the records.
 *
 * The data: the records of `bench/marc.ts` (seeded, Vietnamese and foreign), each given 0–3
 * items in Koha's 952 (owner library, call number, barcode, item type, price). Half of the
 * records carry an ISBN, so matching does real lookups. Checked afterwards: every record and
 * item is in the catalogue and no record was rejected.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createContainer } from '../src/main/container.js';
import { systemActor } from '../src/app/actor.js';
import { readIso2709Stream } from '../src/codecs/marc/parse-stream.js';
import { createReadStream } from 'node:fs';
import type { MarcRecord } from '../src/codecs/marc/record.js';
import { iso2709Chunks } from '../src/codecs/marc/write-stream.js';
import { generateRecords } from './marc.js';
import { BenchFailure, type BenchContext, type BenchDialect, type Size } from './lib/context.js';
import { formatCount, formatTable, machine, writeResult } from './lib/measure.js';

const PLANS: Record<Size, { records: number }> = { small: { records: 20_000 }, full: { records: 1_000_000 } };
const LIBRARIES = ['TV', 'TV-A', 'TV-B', 'TV-C'];

/** The generated records with 0–3 items each (deterministic: from the record number). */
function* withItems(count: number): Generator<MarcRecord> {
  let n = 0;
  for (const r of generateRecords(count)) {
    n++;
    const fields = r.fields.filter((f) => f.tag !== '852');
    const copies = n % 4;
    for (let i = 0; i < copies; i++) {
      fields.push({
        tag: '952',
        ind1: ' ',
        ind2: ' ',
        subfields: [
          { code: 'a', value: LIBRARIES[(n + i) % LIBRARIES.length]! },
          { code: 'o', value: `${100 + (n % 900)}.${n % 97} NG-${String.fromCharCode(65 + (n % 26))}` },
          { code: 'p', value: `B${String(n).padStart(8, '0')}-${i}` },
          { code: 'y', value: 'BK' },
          { code: 'g', value: String(50_000 + (n % 200) * 1000) },
        ],
      });
    }
    yield { leader: r.leader, fields };
  }
}

async function rawSqlite(file: string, url: string): Promise<number> {
  const db = new Database(url);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table raw_records (id integer primary key, marc text not null)');
  const insert = db.prepare('insert into raw_records (marc) values (?)');
  const many = db.transaction((rows: string[]) => {
    for (const r of rows) insert.run(r);
  });
  const t0 = process.hrtime.bigint();
  let batch: string[] = [];
  for await (const r of readIso2709Stream(createReadStream(file, { highWaterMark: 1 << 20 }))) {
    if (!r.ok) throw new BenchFailure(r.error.message);
    batch.push(JSON.stringify(r.record));
    if (batch.length === 500) {
      many(batch);
      batch = [];
    }
  }
  if (batch.length) many(batch);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return s;
}

async function rawPostgres(file: string, url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table raw_records (id serial primary key, marc text not null)');
    const t0 = process.hrtime.bigint();
    let batch: string[] = [];
    const flush = async () => {
      await client.query('begin');
      await client.query(`insert into raw_records (marc) values ${batch.map((_, i) => `($${i + 1})`).join(',')}`, batch);
      await client.query('commit');
      batch = [];
    };
    for await (const r of readIso2709Stream(createReadStream(file, { highWaterMark: 1 << 20 }))) {
      if (!r.ok) throw new BenchFailure(r.error.message);
      batch.push(JSON.stringify(r.record));
      if (batch.length === 500) await flush();
    }
    if (batch.length) await flush();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    await client.end();
  }
}

interface Outcome {
  dialect: BenchDialect;
  seconds: number;
  rawSeconds: number;
  records: number;
  items: number;
}

async function runOn(ctx: BenchContext, dialect: BenchDialect, file: string, records: number, expectedItems: number): Promise<Outcome> {
  const temp = await ctx.tempDatabase(dialect);
  const raw = await ctx.tempDatabase(dialect);
  try {
    const c = await createContainer({ databaseUrl: temp.url, poolSize: 4 });
    try {
      const sys = systemActor('bench');
      const root = await c.services.org.create(sys, { code: 'NET', nameVi: 'Mạng lưới', nameEn: 'Network', typeCode: 'network', parentId: null, openedOn: '2000-01-01' });
      const lib = await c.services.org.create(sys, { code: 'TV', nameVi: 'Thư viện tỉnh', nameEn: 'Provincial library', typeCode: 'provincial', parentId: root.id, openedOn: '2000-01-01' });
      for (const code of LIBRARIES.slice(1)) await c.services.org.create(sys, { code, nameVi: `Thư viện ${code}`, nameEn: `Library ${code}`, typeCode: 'commune', parentId: lib.id, openedOn: '2000-01-01' });
      const t0 = process.hrtime.bigint();
      const { job } = await c.services.imports.start(sys, { path: file, fileName: 'bench.mrc', unitId: lib.id, policy: 'attach' });
      let last = Date.now();
      const done = await c.services.imports.run(job.id, {
        owner: 'bench',
        onProgress: (p) => {
          if (Date.now() - last > 15_000) {
            last = Date.now();
            ctx.log(`  [${dialect}] ${formatCount(p.summary.read)} records …`);
          }
        },
      });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const s = done.summary as Record<string, number>;
      if (done.status !== 'done' || s.read !== records || s.rejected !== 0) throw new BenchFailure(`import ended ${done.status} with ${JSON.stringify(s)} (${done.error ?? ''})`);
      const stored = await c.store.catalog.countRecords();
      if (stored + (s.matched ?? 0) !== records) throw new BenchFailure(`${stored} records stored + ${s.matched} matched ≠ ${records} read`);
      if (s.itemsAdded !== expectedItems) throw new BenchFailure(`${s.itemsAdded} items added, expected ${expectedItems}`);
      const rawSeconds = dialect === 'sqlite' ? await rawSqlite(file, raw.url) : await rawPostgres(file, raw.url);
      return { dialect, seconds, rawSeconds, records, items: expectedItems };
    } finally {
      await c.close();
    }
  } finally {
    await temp.drop();
    await raw.drop();
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-import-'));
  try {
    const file = join(dir, 'records.mrc');
    ctx.log(`Generating ${formatCount(plan.records)} records with items into ${file} …`);
    await pipeline(Readable.from(iso2709Chunks(withItems(plan.records), { chunkSize: 1 << 20 })), createWriteStream(file));
    const bytes = statSync(file).size;
    let items = 0;
    for (let n = 1; n <= plan.records; n++) items += n % 4;
    ctx.log(`  ${(bytes / 1e6).toFixed(1)} MB, ${formatCount(items)} items`);
    const outcomes: Outcome[] = [];
    for (const dialect of ctx.dialects) {
      ctx.log(`Importing into ${dialect} …`);
      const o = await runOn(ctx, dialect, file, plan.records, items);
      outcomes.push(o);
      ctx.log(`  ${dialect}: ${o.seconds.toFixed(1)} s (raw engine ${o.rawSeconds.toFixed(1)} s)`);
    }
    ctx.log('');
    ctx.log(`${formatCount(plan.records)} records, ${formatCount(items)} items, ${(bytes / 1e6).toFixed(1)} MB`);
    ctx.log(
      formatTable(
        ['', 'records/s', 'seconds', 'raw engine records/s', 'ours ÷ raw (time)'],
        outcomes.map((o) => [`(c) full import [${o.dialect}]`, formatCount(o.records / o.seconds), o.seconds.toFixed(1), formatCount(o.records / o.rawSeconds), (o.seconds / o.rawSeconds).toFixed(2)]),
      ),
    );
    for (const o of outcomes) {
      const file = writeResult(ctx.outDir, `marc-import-${o.dialect}`, { benchmark: 'marc-import', size: ctx.size, machine: machine(), data: { records: o.records, items: o.items, bytes }, ...o, recordsPerSecond: o.records / o.seconds, rawRecordsPerSecond: o.records / o.rawSeconds, ratio: o.seconds / o.rawSeconds });
      ctx.log(`result: ${file}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
