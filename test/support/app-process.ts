import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const BUILT_MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface AppProcess {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
  /** Kills the process with SIGKILL (no shutdown hooks run) and resolves once it exited. */
  kill(): Promise<void>;
}

/** Starts the built app the way `npm start` does (node dist/src/main.js) and waits until it listens. */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [BUILT_MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  const kill = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`app did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /Listening on http:\/\/\S*?:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before listening:\n${output}`));
    });
  });
  return { baseUrl, output: () => output, stop, kill };
}
