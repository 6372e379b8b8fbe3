// handeye as a service, for programs that host it themselves: `import { ... } from 'handeye/service'`.
export { SessionManager, SERVICE_DEFAULTS, type ServiceOptions, type CallContext } from './session-manager.ts';
export { ServiceSession, type ProgressEvent } from './service-session.ts';
export { OPERATIONS, operation, type Operation } from './operations.ts';
export { serveHttpApi, type HttpApiOptions } from './http-api.ts';
export { buildMcpServer, serveMcpStdio, serveMcpHttp, type McpHttpOptions } from './mcp-server.ts';
export { openApiDocument, ErrorResponseSchema } from './openapi.ts';
export { ServiceError, SERVICE_ERROR_CODES, errorBody, type ServiceErrorCode, type ErrorBody } from './service-errors.ts';
export * from './schemas.ts';
