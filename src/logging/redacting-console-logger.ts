import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { LogRedactor } from './log-redaction';

/** Nest's ConsoleLogger (text or JSON lines) with every message, parameter and stack redacted before it is written. */
export class RedactingConsoleLogger extends ConsoleLogger {
  constructor(
    private readonly scrubber: LogRedactor,
    options: ConsoleLoggerOptions,
  ) {
    super(options);
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(
      messages.map((message) => this.scrubber.value(this.resolveMessage(message))),
      context,
      logLevel,
      writeStreamType,
      this.scrubber.value(errorStack),
      params && (this.scrubber.value(params) as Record<string, unknown>),
    );
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(stack && this.scrubber.text(stack));
  }
}
