import { LoggerService } from '@nestjs/common';

/** Keeps every log line (with its arguments) so a test can search them. */
export class CapturedLogger implements LoggerService {
  readonly lines: string[] = [];

  private capture(level: string, message: unknown, params: unknown[]): void {
    this.lines.push(
      `${level} ${[message, ...params].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')}`,
    );
  }

  log = (message: unknown, ...params: unknown[]) => this.capture('log', message, params);
  error = (message: unknown, ...params: unknown[]) => this.capture('error', message, params);
  warn = (message: unknown, ...params: unknown[]) => this.capture('warn', message, params);
  debug = (message: unknown, ...params: unknown[]) => this.capture('debug', message, params);
  verbose = (message: unknown, ...params: unknown[]) => this.capture('verbose', message, params);

  text(): string {
    return this.lines.join('\n');
  }
}
