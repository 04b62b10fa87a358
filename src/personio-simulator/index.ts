export { PersonioSimulator } from './personio-simulator';
export type { CreateCompanyInput, CredentialInput, StartOptions } from './personio-simulator';
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
