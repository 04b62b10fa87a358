/** The current instant, injectable so tests can pin "today" (the sync window depends on it). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
