/**
 * Upload planning layers to a running Worker with a progress bar: the walking network (GeoJSON)
 * and the population (GeoJSON or CSV). Files are streamed from disk, so a province-sized layer
 * never sits whole in this process either; the Worker parses it one feature at a time.
 *
 *   npx node scripts/import-planning.ts [--url http://127.0.0.1:8787] [--token <planner or admin token>]
 *       [--network roads.geojson] [--population blocks.csv|blocks.geojson] [--part-mb 50]
 *
 * A network file larger than --part-mb (default 50 MB; one request may carry at most 100 MB) is
 * sent as a chunked upload: split here into FeatureCollections of whole features, each validated
 * by the Worker as it arrives, then committed at once.
 *
 * The token may also come from AMENITY_TOKEN. Generate a test province with scripts/gen-province.ts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import cliProgress from 'cli-progress';
import { FeatureSplitter } from '../worker/domain/coverage/feature-stream.ts';

interface Args {
  url: string;
  token: string;
  network?: string;
  population?: string;
  partBytes: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const token = get('token') ?? process.env.AMENITY_TOKEN;
  if (!token) throw new Error('Give a planner or admin token with --token or AMENITY_TOKEN');
  const partMb = Number(get('part-mb') ?? 50);
  if (!(partMb > 0 && partMb <= 95)) throw new Error('--part-mb must be above 0 and at most 95');
  const a: Args = {
    url: (get('url') ?? 'http://127.0.0.1:8787').replace(/\/$/, ''),
    token,
    network: get('network'),
    population: get('population'),
    partBytes: partMb * 1024 * 1024,
  };
  if (!a.network && !a.population) throw new Error('Nothing to import: give --network and/or --population');
  return a;
}

function contentType(file: string): string {
  return /\.csv$/i.test(file) ? 'text/csv' : 'application/geo+json';
}

/** PUT a file as a stream, advancing the bar as bytes leave; then wait for the Worker's answer. */
async function upload(a: Args, path: string, file: string, label: string, bars: cliProgress.MultiBar): Promise<unknown> {
  const size = (await stat(file)).size;
  const bar = bars.create(size, 0, { label });
  let sent = 0;
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  source.on('data', (chunk) => {
    sent += chunk.length;
    bar.update(sent);
  });
  const res = await fetch(`${a.url}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': contentType(file), 'content-length': String(size) },
    body: Readable.toWeb(source) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const text = await res.text();
  bar.update(size);
  bar.stop();
  if (!res.ok) throw new Error(`${label}: ${res.status}\n${problemText(text)}`);
  return JSON.parse(text);
}

/** A refusal's words: the problem's detail and its first field errors, or the body as it came. */
function problemText(text: string): string {
  try {
    const p = JSON.parse(text) as { detail?: string; errors?: Array<{ pointer: string; message: string }> };
    return [p.detail, ...(p.errors ?? []).slice(0, 10).map((e) => `  ${e.pointer}: ${e.message}`)].filter(Boolean).join('\n');
  } catch {
    return text; // not a problem document
  }
}

async function call<T>(a: Args, method: string, path: string, body?: string): Promise<T> {
  const res = await fetch(`${a.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${a.token}`, ...(body ? { 'content-type': 'application/geo+json' } : {}) },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}\n${problemText(text)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Split the file into parts of whole features (≤ partBytes each) and send them as a chunked upload. */
async function uploadInParts(a: Args, file: string, bars: cliProgress.MultiBar): Promise<unknown> {
  const size = (await stat(file)).size;
  const bar = bars.create(size, 0, { label: 'network   ' });
  const { id } = await call<{ id: string }>(a, 'POST', '/api/v1/network/uploads');
  try {
    const splitter = new FeatureSplitter();
    const decoder = new TextDecoder();
    let batch: string[] = [];
    let batchBytes = 0;
    let first = 0;
    let part = 0;
    let read = 0;
    const flush = async () => {
      if (!batch.length) return;
      await call(
        a,
        'PUT',
        `/api/v1/network/uploads/${id}/parts/${part}?first=${first}`,
        `{"type":"FeatureCollection","features":[${batch.join(',')}]}`,
      );
      first += batch.length;
      part++;
      batch = [];
      batchBytes = 0;
    };
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      read += (chunk as Buffer).length;
      for (const f of splitter.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        if (batchBytes + f.length > a.partBytes) await flush();
        batch.push(f);
        batchBytes += f.length + 1;
      }
      bar.update(read);
    }
    for (const f of splitter.push(decoder.decode())) batch.push(f);
    const end = splitter.end();
    if (!end.ok) throw new Error(`${file}: ${end.message}`);
    await flush();
    const answer = await call(a, 'POST', `/api/v1/network/uploads/${id}/commit`);
    bar.update(size);
    bar.stop();
    return answer;
  } catch (e) {
    await call(a, 'DELETE', `/api/v1/network/uploads/${id}`).catch(() => undefined);
    throw e;
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const bars = new cliProgress.MultiBar(
    {
      format: '{label} |{bar}| {percentage}% {value}/{total} bytes',
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    cliProgress.Presets.shades_classic,
  );
  const results: string[] = [];
  try {
    if (a.network) {
      const big = (await stat(a.network)).size > a.partBytes;
      const r = (big ? await uploadInParts(a, a.network, bars) : await upload(a, '/api/v1/network', a.network, 'network   ', bars)) as {
        nodes: number;
        edges: number;
        excluded: number;
      };
      results.push(`network: ${r.nodes} nodes, ${r.edges} edges, ${r.excluded} features excluded (motorway / trunk / foot=no)`);
    }
    if (a.population) {
      const r = (await upload(a, '/api/v1/population', a.population, 'population', bars)) as { units: number; population: number };
      results.push(`population: ${r.units} units, ${r.population} residents`);
    }
  } finally {
    bars.stop();
  }
  for (const r of results) console.log(r);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
