export interface SimulatorStats {
  total: number;
  /** Requests per path, e.g. `{ '/v2/auth/token': 1, '/v2/absence-periods': 3 }`. */
  byEndpoint: Record<string, number>;
  /** The same per company (requests whose company could be told from client_id or token). */
  byCompany: Record<string, Record<string, number>>;
}

export class RequestStats {
  private total = 0;
  private byEndpoint = new Map<string, number>();
  private byCompany = new Map<string, Map<string, number>>();

  record(endpoint: string, companyId: string | undefined): void {
    this.total += 1;
    increment(this.byEndpoint, endpoint);
    if (companyId === undefined) return;
    let perCompany = this.byCompany.get(companyId);
    if (!perCompany) this.byCompany.set(companyId, (perCompany = new Map()));
    increment(perCompany, endpoint);
  }

  count(endpoint: string, companyId?: string): number {
    const counts = companyId === undefined ? this.byEndpoint : this.byCompany.get(companyId);
    return counts?.get(endpoint) ?? 0;
  }

  snapshot(): SimulatorStats {
    const byCompany: SimulatorStats['byCompany'] = {};
    for (const [companyId, counts] of this.byCompany) byCompany[companyId] = Object.fromEntries(counts);
    return { total: this.total, byEndpoint: Object.fromEntries(this.byEndpoint), byCompany };
  }

  reset(): void {
    this.total = 0;
    this.byEndpoint = new Map();
    this.byCompany = new Map();
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
