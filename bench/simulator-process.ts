import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SimulatorAdminClient } from './simulator-admin-client';

const READY_LINE = /^PERSONIO_SIMULATOR_READY (\S+)$/;
const ROOT = join(__dirname, '..');

/**
 * The Personio simulator (src/personio-simulator/main.ts) in a child process on loopback, empty (no
 * demo company), on a random port. The child has an IPC channel, so it exits by itself if this process
 * dies without running `stop()`; `stop()` and this process's 'exit' also kill it.
 */
export class SimulatorProcess {
  private exited = false;
  private readonly killOnExit = () => this.kill('SIGKILL');

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly admin: SimulatorAdminClient,
  ) {
    child.once('exit', () => {
      this.exited = true;
      process.off('exit', this.killOnExit);
    });
    process.once('exit', this.killOnExit);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(timeoutMs = 60_000): Promise<SimulatorProcess> {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/personio-simulator/main.ts'), '--port=0', '--no-demo'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PERSONIO_SIMULATOR_PORT: '0',
          PERSONIO_SIMULATOR_SEED_DEMO: 'false',
          TS_NODE_TRANSPILE_ONLY: 'true',
        },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      },
    );
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', kill);
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`simulator child did not print its ready line within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => {
          const match = READY_LINE.exec(line.trim());
          if (!match) return;
          clearTimeout(timer);
          lines.close();
          child.stdout!.resume(); // keep draining whatever it prints later
          resolve(match[1]);
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`simulator child exited before it was ready (code ${code}, signal ${signal})`));
        });
      });
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.on('error', (error) => console.error(`simulator child: ${error.message}`));
      // Don't let the IPC channel or the pipe keep this process alive.
      child.unref();
      child.channel?.unref();
      (child.stdout as unknown as { unref?: () => void }).unref?.();
      return new SimulatorProcess(child, baseUrl, new SimulatorAdminClient(baseUrl));
    } catch (error) {
      kill();
      throw error;
    } finally {
      process.off('exit', kill);
    }
  }

  /** SIGTERM (graceful close), SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private kill(signal: NodeJS.Signals): void {
    if (!this.exited && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}
