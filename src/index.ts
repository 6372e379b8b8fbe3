// Public API of handeye. Everything a library user needs comes from here.
export * from './actions.ts';
export * from './frame.ts';
export type * from './executor.ts';
export type * from './engine.ts';
export { AgentError, type Agent, type Decision, type DecideInput, type HistoryEntry } from './agent.ts';
export * from './task.ts';
export * from './trace-schema.ts';
export { TraceWriter, readTrace, TraceError, type ReadTrace } from './trace.ts';
export { runLoop, type LoopOptions, type LoopEvent, type LoopResult } from './loop.ts';
export { runTask, type RunTaskOptions } from './run.ts';
export { settle, type SettleOptions, type SettleResult } from './settle.ts';
export { allowAll, combineGuards, type Guard, type GuardVerdict } from './guard.ts';
export { runChecker, runCheckers } from './checks.ts';
export { startStaticServer, type StaticServer } from './static-server.ts';
export { launchChromium, connectChromium, BrowserStartError } from './executors/chromium.ts';
export { BrowserExecutor } from './executors/browser.ts';
export { ReplayAgent } from './engines/replay.ts';
export { createAgent, DEFAULT_ENGINE, ENGINE_NAMES } from './engines/registry.ts';
// The library API: createHandeye(page | desktop, options) → agent.act/click/type/press/scroll/select/locate/assert/query/waitFor.
export * from './api/index.ts';
export { openDesktopSession, type DesktopSession, type DesktopSessionOptions, type DesktopApp } from './desktop/desktop-session.ts';
