import type { AppConfig } from '@assises/config';
import { redisOptions } from '@assises/queue';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import IORedis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters shared by every api process, in Redis: behind a load balancer, ten login
 * attempts a minute are ten whatever the number of replicas. While Redis cannot answer, each
 * process counts on its own (the limits still hold, per replica) rather than failing the request
 * or making it wait: the commands fail at once (no offline queue) or after `COMMAND_TIMEOUT_MS`.
 */
export class SharedThrottlerStorage
  implements ThrottlerStorage, OnModuleInit, OnModuleDestroy, OnApplicationShutdown
{
  static readonly COMMAND_TIMEOUT_MS = 500;
  private readonly logger = new Logger('RateLimit');
  private readonly redis: IORedis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private degraded = false;

  constructor(config: AppConfig) {
    this.redis = new IORedis({
      ...redisOptions(config.redis.url, 'producer'),
      keyPrefix: `${config.redis.prefix}:throttle:`,
      commandTimeout: SharedThrottlerStorage.COMMAND_TIMEOUT_MS,
    });
    // Connection errors are the `degraded` path below; ioredis would log each retry otherwise.
    this.redis.on('error', () => undefined);
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  /**
   * Waits for the connection (2 s at most), so that the first requests are counted with the
   * others; a refused connection ends the wait at once, and the api starts without Redis.
   */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, 2_000);
      this.redis.once('ready', done).once('error', done);
    });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis answers again: rate limits are shared by the api processes');
      }
      return record;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(
          `Redis does not answer (${(error as Error).message}): rate limits counted by this process alone until it does`,
        );
      }
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
