// The library API: createHandeye(page | desktop, options) and what its calls return and throw.
export { createHandeye, callName, Handeye, type HandeyeOptions, type Surface } from './handeye.ts';
export * from './errors.ts';
export * from './types.ts';
export { AgentSession, type SessionOptions, type SessionWork, type SessionRun } from '../core/session.ts';
export { askVision, visionModel, type VisionModel, type QueryOutcome } from './query.ts';
