/**
 * The plain Node `http` baseline in a process of its own, like the api it is compared with:
 * `node _plain-server.js FILE` serves FILE's bytes to every request, with the headers a cached
 * JSON answer carries, and prints `listening PORT` once it listens.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = readFileSync(process.argv[2]);
const server = http.createServer((_req, res) => {
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    ETag: '"baseline"',
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
