export { PersonioSimulator } from './personio-simulator';
export type {
  CreateCompanyInput,
  CredentialInput,
  SimulatorOptions,
  SimWebhookInput,
  StartOptions,
  WebhookDeliveryOptions,
} from './personio-simulator';
export { DEFAULT_WEBHOOK_RETRY_DELAYS_MS, DEFAULT_WEBHOOK_TIMEOUT_MS } from './webhook-dispatcher';
export { generateCompany } from './company-generator';
export type { GenerateCompanyOptions } from './company-generator';
export type {
  FaultSettings,
  PageFailureFault,
  ConnectionResetFault,
  StallFault,
  HoldFault,
  HeldRequestInfo,
  HeldRequestFilter,
  RateLimitFault,
  RateLimitSetting,
  SimEndpoint,
  EndpointSelector,
} from './simulator-faults';
export { REALISTIC_RATE_LIMITS } from './simulator-faults';
export type { SimulatorStats } from './request-stats';
export * from './simulator.types';
