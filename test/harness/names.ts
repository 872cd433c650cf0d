import { createServer } from 'node:net';
import { basename } from 'node:path';

/** A short, readable label of the running test file, e.g. `mail_outbox`, for database and queue names. */
export function fileLabel(): string {
  const path = expect.getState().testPath ?? 'test';
  return basename(path)
    .replace(/\..*$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()
    .slice(0, 30);
}

/** A local port nobody listens on (yet): a service "down", or a place to start one later. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
