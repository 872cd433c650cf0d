import { ConfigError, loadConfig } from '@assises/config';
import { createWorkerApp } from './worker.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  await createWorkerApp(config);
  console.log(
    `Assises worker started (concurrency ${config.worker.concurrency}, pid ${process.pid})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
