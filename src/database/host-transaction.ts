import { EntityManager } from 'typeorm';
import type { HostTransaction } from '../integrations/awork-host.types';

const managers = new WeakMap<HostTransaction, EntityManager>();

/** Wraps the host's transaction for an integration's gate. */
export function hostTransactionOf(manager: EntityManager): HostTransaction {
  const handle = Object.freeze({}) as HostTransaction;
  managers.set(handle, manager);
  return handle;
}

/** The entity manager of a transaction the host opened; throws for anything else. */
export function entityManagerOf(transaction: HostTransaction): EntityManager {
  const manager = managers.get(transaction);
  if (!manager) throw new Error('not a transaction opened by the host');
  return manager;
}
