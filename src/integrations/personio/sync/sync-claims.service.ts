import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../../config/app-config';
import { RetryUntilDone } from './retry-until-done';
import { SyncLeaseRepository } from './sync-lease.repository';

export const SYNC_INSTANCE_ID = Symbol('SYNC_INSTANCE_ID');
const DISCONNECT_WAIT_MS = 30_000;
const CLAIM_POLL_MS = 100;
const CLAIM_RELEASE_BACKOFF = { firstDelayMs: 250, maxDelayMs: 5_000 };

export class SyncAlreadyRunningError extends Error {
  constructor(workspaceId: string) {
    super(`A Personio sync is already running for workspace ${workspaceId}`);
  }
}

/** What work done under a claim can do with it. */
export interface HeldClaim {
  /** Extends the lease; false when another instance has taken the claim over. */
  renew(): Promise<boolean>;
  /** Runs with the release, before it, and is retried with it until the database answers. */
  beforeRelease(end: () => Promise<void>): void;
}

/**
 * The one owner of this instance's claims on workspaces: claim, renew while work runs, release
 * (retried until the database answers), the work in flight per workspace, and the claim a removal takes.
 */
@Injectable()
export class SyncClaimsService implements OnModuleDestroy {
  private readonly logger = new Logger(SyncClaimsService.name);
  private readonly inFlight = new Map<string, Set<Promise<unknown>>>();
  /** Ends of claims the database refused, retried until it answers. */
  private readonly unreleased = new Map<string, Set<RetryUntilDone>>();
  /** Counts this instance's claims per workspace, so a late release never frees a newer run's claim. */
  private readonly claimGeneration = new Map<string, number>();

  constructor(
    private readonly leases: SyncLeaseRepository,
    private readonly config: AppConfig,
    @Inject(SYNC_INSTANCE_ID) private readonly instanceId: string,
  ) {}

  /** Claims the workspace now and runs `work` under it; throws SyncAlreadyRunningError when another run holds it. */
  withNewClaim<T>(workspaceId: string, work: (claim: HeldClaim) => Promise<T>): Promise<T> {
    return this.track(workspaceId, async () => {
      if (!(await this.claim(workspaceId))) throw new SyncAlreadyRunningError(workspaceId);
      return this.hold(workspaceId, work);
    });
  }

  /** Runs `work` under a claim this instance already holds (the scheduler's), releasing it at the end. */
  withHeldClaim<T>(workspaceId: string, work: (claim: HeldClaim) => Promise<T>): Promise<T> {
    return this.track(workspaceId, () => this.hold(workspaceId, work));
  }

  /**
   * Takes the workspace's claim so no sync on any instance starts or writes, waiting up to
   * `maxWaitMs` for one that runs now. False when the wait ran out: that run then finds the
   * integration gone inside its write transaction, and writes nothing.
   */
  async claimForRemoval(workspaceId: string, maxWaitMs = DISCONNECT_WAIT_MS): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    while (!(await this.claim(workspaceId))) {
      if (Date.now() >= deadline) return false;
      await sleep(CLAIM_POLL_MS);
    }
    return true;
  }

  /** Resolves once this instance runs no work for the workspace (used by disconnect and tests). */
  async whenIdle(workspaceId: string): Promise<void> {
    for (let running = this.inFlight.get(workspaceId); running?.size; running = this.inFlight.get(workspaceId)) {
      await Promise.allSettled([...running]);
    }
  }

  onModuleDestroy(): void {
    for (const retries of this.unreleased.values()) for (const retry of retries) retry.stop();
    this.unreleased.clear();
  }

  /**
   * A claim this instance still holds from ended work (its release failed) is let go first, so a
   * 409 only ever means a sync really runs.
   */
  private async claim(workspaceId: string): Promise<boolean> {
    await Promise.all([...(this.unreleased.get(workspaceId) ?? [])].map((retry) => retry.tryNow()));
    return this.leases.claim(workspaceId, this.instanceId, this.config.syncLeaseSeconds);
  }

  private async hold<T>(workspaceId: string, work: (claim: HeldClaim) => Promise<T>): Promise<T> {
    const generation = (this.claimGeneration.get(workspaceId) ?? 0) + 1;
    this.claimGeneration.set(workspaceId, generation);
    const ends: Array<() => Promise<void>> = [];
    const renew = () => this.leases.renew(workspaceId, this.instanceId, this.config.syncLeaseSeconds);
    // Long work keeps its claim alive, so no other instance mistakes it for a crashed one.
    const renewal = setInterval(
      () =>
        void renew().then(
          (held) => {
            if (!held) this.logger.warn(`workspace=${workspaceId} claim lost: another instance has taken it over`);
          },
          (error: Error) =>
            this.logger.warn(
              `workspace=${workspaceId} could not renew the claim: ${error?.message ?? String(error)}; trying again`,
            ),
        ),
      Math.max(1000, (this.config.syncLeaseSeconds * 1000) / 3),
    );
    try {
      return await work({ renew, beforeRelease: (end) => ends.push(end) });
    } finally {
      clearInterval(renewal);
      await this.release(workspaceId, generation, ends);
    }
  }

  /** Runs the ends and releases the claim; when the database refuses, retries until it answers. */
  private async release(workspaceId: string, generation: number, ends: Array<() => Promise<void>>): Promise<void> {
    const end = async () => {
      while (ends.length > 0) {
        await ends[0]();
        ends.shift();
      }
      if (this.claimGeneration.get(workspaceId) === generation) await this.leases.release(workspaceId, this.instanceId);
    };
    const retries = this.unreleased.get(workspaceId) ?? new Set<RetryUntilDone>();
    const retry = new RetryUntilDone(
      end,
      CLAIM_RELEASE_BACKOFF,
      (error, attempts) =>
        this.logger.warn(
          `workspace=${workspaceId} could not end the claim (attempt ${attempts}): ${(error as Error)?.message ?? String(error)}; retrying until the database answers`,
        ),
      () => {
        retries.delete(retry);
        if (retries.size === 0 && this.unreleased.get(workspaceId) === retries) this.unreleased.delete(workspaceId);
      },
    );
    retries.add(retry);
    this.unreleased.set(workspaceId, retries);
    await retry.tryNow();
  }

  private track<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(workspaceId) ?? new Set<Promise<unknown>>();
    this.inFlight.set(workspaceId, running);
    const promise = work();
    running.add(promise);
    const forget = () => {
      running.delete(promise);
      if (running.size === 0 && this.inFlight.get(workspaceId) === running) this.inFlight.delete(workspaceId);
    };
    promise.then(forget, forget);
    return promise;
  }
}
