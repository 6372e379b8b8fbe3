// Public API of handeye. Everything a library user needs comes from here.
export * from './core/actions.ts';
export * from './core/frame.ts';
export type * from './core/executor.ts';
export type * from './core/model-client.ts';
export { AgentError, type Agent, type Decision, type DecideInput, type ExecutorView, type HistoryEntry, type TargetMatch, type ParseProblem } from './core/agent.ts';
export * from './core/task.ts';
export * from './core/trace-schema.ts';
export { TraceWriter, readTrace, TraceError, type ReadTrace } from './core/trace.ts';
export { runLoop, type LoopOptions, type LoopEvent, type LoopResult } from './core/loop/loop.ts';
export { runTask, type RunTaskOptions } from './run/run-task.ts';
export { settle, type SettleOptions, type SettleResult } from './core/settle.ts';
export { allowAll, combineGuards, type Guard, type GuardVerdict } from './core/guard.ts';
export { runChecker, runCheckers } from './run/checks.ts';
export { startStaticServer, type StaticServer } from './run/static-server.ts';
export { launchChromium, connectChromium, connectBrowserServer, launchBrowserServer, BrowserStartError } from './executors/browser/chromium.ts';
export { BrowserExecutor } from './executors/browser/browser-executor.ts';
export { ReplayAgent } from '../agents/replay/replay-agent.ts';
export { createAgent, resolveModel, EngineConfigError, DEFAULT_ENGINE, ENGINE_NAMES, type EngineOptions, type ResolvedModel } from '../agents/registry.ts';
export { FAMILIES, familyForModel } from '../agents/families.ts';
export { listServedModels, type ServedModelsOptions } from './model-clients/served-models.ts';
// The library API: createHandeye(page | desktop, options) → agent.act/click/type/press/scroll/select/locate/assert/query/waitFor.
export * from './api/index.ts';
export { openDesktopSession, type DesktopSession, type DesktopSessionOptions, type DesktopApp } from './executors/desktop/desktop-session.ts';
