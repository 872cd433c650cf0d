/**
 * A load generator in a process of its own, so that neither the benchmark's own heap (TypeORM,
 * the libs it loaded to prepare data) nor a server sharing its event loop slows the client
 * down: `node _http-load.js PORT PATH SECONDS CONNECTIONS BYTES`. It opens CONNECTIONS
 * keep-alive connections, each sending its next GET when the previous answer has been read in
 * full (as wrk or autocannon do), for SECONDS; the bodies are counted, not kept, and must be
 * BYTES long. Prints one JSON line: rps, p50_ms, p99_ms, requests, errors.
 */
import http from 'node:http';

const [port, path, seconds, connections, bytes] = process.argv.slice(2);
const CONNECTIONS = Number(connections);
const EXPECTED = Number(bytes);

function get(agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: Number(port), path, agent }, (res) => {
      let length = 0;
      res.on('data', (chunk: Buffer) => (length += chunk.length));
      res.on('end', () =>
        res.statusCode === 200 && length === EXPECTED
          ? resolve()
          : reject(new Error(`status ${res.statusCode}, ${length} bytes`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const agents = Array.from(
    { length: CONNECTIONS },
    () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
  );
  // The connections are opened before the clock starts.
  await Promise.all(agents.map((agent) => get(agent)));
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + Number(seconds) * 1000;
  const started = performance.now();
  await Promise.all(
    agents.map(async (agent) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await get(agent);
          latencies.push(performance.now() - t);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  console.log(
    JSON.stringify({
      rps: latencies.length / elapsed,
      p50_ms: pct(0.5),
      p99_ms: pct(0.99),
      requests: latencies.length,
      errors,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
