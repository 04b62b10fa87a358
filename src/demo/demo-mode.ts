import { INestApplication, LoggerService } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ensureDemoWorkspace } from './demo-seed';
import { DemoPersonio, startDemoPersonio } from './demo-personio';

export interface DemoMode {
  /** After `listen`: seeds the demo workspace once, or reuses it. */
  afterListen(app: INestApplication): Promise<void>;
}

/** Starts the simulator (before the app is created, so the client points at it) and returns the rest of the demo. */
export async function startDemoMode(config: AppConfig, logger: LoggerService): Promise<DemoMode> {
  const personio: DemoPersonio = await startDemoPersonio(config, logger);
  return {
    afterListen: async (app) => {
      await ensureDemoWorkspace(app, config, {
        aworkUsers: personio.aworkUsers,
        logger,
        print: (text) => printUnredacted(text, config.logJson),
      });
    },
  };
}

function printUnredacted(text: string, json: boolean): void {
  if (json)
    process.stdout.write(
      `${JSON.stringify({ level: 'log', pid: process.pid, timestamp: Date.now(), context: 'Demo', message: text })}\n`,
    );
  else process.stdout.write(`${text}\n`);
}
