import type { AppConfig } from '@assises/config';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
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
  const child = spawn(process.execPath, [main], {
    env: { ...envOf(config), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes(started)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) =>
      reject(
        new Error(`${app} exited before starting (code ${code}, signal ${signal}):\n${output}`),
      ),
    );
  });
  ready.catch(() => undefined); // observed by whoever awaits it
  return {
    child,
    ready,
    exited,
    output: () => output,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
