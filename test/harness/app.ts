import type { AppConfig } from '@assises/config';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/app.factory';
import { createWorkerApp } from '../../apps/worker/src/worker.factory';
import { envOf } from './config';

export interface TestApi {
  app: NestExpressApplication;
  /** A supertest agent on the app (keeps cookies between requests). */
  http: request.Agent;
  close(): Promise<void>;
}

/** The api, in this process, as main.ts builds it (no port opened: supertest drives it). */
export async function startApi(config: AppConfig): Promise<TestApi> {
  const app = await createApiApp(config);
  return {
    app,
    http: request.agent(app.getHttpServer()),
    close: () => app.close(),
  };
}

export interface TestWorker {
  app: INestApplicationContext;
  close(): Promise<void>;
}

/** A worker in this process: its processors and sweeps run beside the test. */
export async function startWorker(config: AppConfig): Promise<TestWorker> {
  const app = await createWorkerApp(config);
  return { app, close: () => app.close() };
}

const MAINS = {
  api: {
    main: join(__dirname, '../../dist/apps/api/src/main.js'),
    started: 'Assises api listening',
  },
  worker: {
    main: join(__dirname, '../../dist/apps/worker/src/main.js'),
    started: 'Assises worker started',
  },
};

export interface SpawnedWorker {
  child: ChildProcess;
  /** Resolves once the process says it started. */
  ready: Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed (stdout and stderr), to explain a failure. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

/**
 * A worker as production runs it: `node dist/apps/worker/src/main.js` in its own process, with
 * the environment of `config` and nothing else from ours. Build first (`npm test` does; the
 * global setup checks).
 */
export function spawnWorker(
  config: AppConfig,
  extraEnv: Record<string, string> = {},
): SpawnedWorker {
  return spawnApp('worker', config, extraEnv);
}

/** The api or the worker in its own process, as production runs it (see spawnWorker). */
export function spawnApp(
  app: keyof typeof MAINS,
  config: AppConfig,
  extraEnv: Record<string, string> = {},
): SpawnedWorker {
  const { main, started } = MAINS[app];
  // Its output goes to a file, not a pipe: a process that logs more than a pipe holds (64 KB; the
  // api's start at LOG_LEVEL=info) would block on a write whenever this process reads late.
  const file = join(mkdtempSync(join(tmpdir(), `assises-${app}-`)), 'output.log');
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, [main], {
    env: { ...envOf(config), ...extraEnv },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const output = () => readFileSync(file, 'utf8').slice(-20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (!readFileSync(file, 'utf8').includes(started)) return;
      clearInterval(poll);
      resolve();
    }, 50);
    void exited.then(({ code, signal }) => {
      clearInterval(poll);
      reject(
        new Error(`${app} exited before starting (code ${code}, signal ${signal}):\n${output()}`),
      );
    });
  });
  ready.catch(() => undefined); // observed by whoever awaits it
  return {
    child,
    ready,
    exited,
    output,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
