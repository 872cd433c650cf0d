import { ChildProcess, spawn } from 'node:child_process';

export interface ChildSpec {
  /** Shown in messages: `api`, `worker`. */
  name: string;
  /** The compiled entry point, run with this same node binary. */
  script: string;
  /** Node's own options for this process (before the script). */
  nodeOptions?: string[];
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Nest drains in-flight requests and jobs on SIGTERM; past this, we stop waiting. */
const FORCE_AFTER_MS = 15_000;

/**
 * Runs the api and the worker as child processes of `npm start`, with the same environment and
 * output, and keeps them together: a signal to the parent goes to every child; if one child dies,
 * the others are stopped and the parent exits non-zero.
 *
 * Children get their own process group (`detached`), so Ctrl+C in the terminal reaches them once,
 * through us, rather than twice (a second SIGINT would cut Nest's graceful shutdown short).
 */
export class Supervisor {
  /** Resolves with the parent's exit code once every child has exited. */
  readonly done: Promise<number>;
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private exitCode = 0;
  private resolveDone!: (code: number) => void;

  constructor(specs: readonly ChildSpec[]) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    process.on('exit', this.onParentExit);
    for (const spec of specs) this.start(spec);
  }

  isRunning(name: string): boolean {
    return this.children.has(name);
  }

  private start(spec: ChildSpec): void {
    // The environment is inherited as is: each child validates it with loadConfig().
    const child = spawn(process.execPath, [...(spec.nodeOptions ?? []), spec.script], {
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    this.children.set(spec.name, child);
    child.on('error', (error) => {
      console.error(`Could not run the ${spec.name}: ${error.message}`);
      this.onChildExit(spec.name, 1, null);
    });
    child.on('exit', (code, signal) => this.onChildExit(spec.name, code, signal));
  }

  private onChildExit(name: string, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.children.delete(name)) return;
    if (!this.stopping) {
      this.stopping = true;
      this.exitCode = 1;
      const how = code !== null ? `with code ${code}` : `on ${signal}`;
      const others = [...this.children.keys()].join(' and ');
      console.error(
        `The ${name} exited unexpectedly (${how})${others ? `; stopping the ${others}` : ''}.`,
      );
      this.stopAll('SIGTERM');
    }
    if (this.children.size === 0) {
      for (const s of SIGNALS) process.off(s, this.onSignal);
      process.off('exit', this.onParentExit);
      this.resolveDone(this.exitCode);
    }
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.stopping) {
      console.error('Stopping now.');
      this.send('SIGKILL');
      return;
    }
    this.stopping = true;
    console.log(
      `\n${signal}: stopping ${[...this.children.keys()].join(' and ')}… (again to force)`,
    );
    this.stopAll(signal);
  };

  /** Last resort when the parent itself dies: do not leave orphans running. */
  private readonly onParentExit = (): void => this.send('SIGTERM');

  private stopAll(signal: NodeJS.Signals): void {
    this.send(signal);
    setTimeout(() => this.send('SIGKILL'), FORCE_AFTER_MS).unref();
  }

  private send(signal: NodeJS.Signals): void {
    for (const child of this.children.values()) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    }
  }
}
