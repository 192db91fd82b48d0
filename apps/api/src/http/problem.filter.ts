import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { describeError } from '@abuse-monitor/runtime';
import { ApiProblem, PROBLEM_CONTENT_TYPE, ProblemKind } from './problem';

const KIND_OF_STATUS: Partial<Record<number, ProblemKind>> = {
  [HttpStatus.BAD_REQUEST]: 'invalid-request',
  [HttpStatus.UNAUTHORIZED]: 'unauthenticated',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not-found',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload-too-large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported-media-type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate-limited',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'unavailable',
};

/**
 * Where an error was thrown, without its message: the stack's first line repeats the message,
 * which for a database error can quote a reporter's number or a report's text.
 */
function stackFramesOf(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return '';
  const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length === 0 ? '' : `\n${frames.join('\n')}`;
}

/** Whatever was thrown, as the problem the client sees; unexpected errors are logged, not shown. */
export function toApiProblem(error: unknown, logger: Logger): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof HttpException) {
    const kind = KIND_OF_STATUS[error.getStatus()];
    if (kind) return new ApiProblem(kind, error.message);
  }
  // Body parser errors carry an HTTP status and a type, but are not HttpExceptions.
  const status = (error as { status?: unknown })?.status;
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') return new ApiProblem('invalid-request', 'the body is not valid JSON');
  if (type === 'entity.too.large')
    return new ApiProblem('payload-too-large', 'the request body is too large');
  if (typeof status === 'number' && status >= 400 && status < 500 && KIND_OF_STATUS[status])
    return new ApiProblem(KIND_OF_STATUS[status], describeError(error));
  logger.error(`unexpected error: ${describeError(error)}${stackFramesOf(error)}`);
  return new ApiProblem(
    'internal',
    'something went wrong on our side; the request id identifies it in our logs',
  );
}

export function sendProblem(req: Request, res: Response, problem: ApiProblem): void {
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.toProblem(req.originalUrl.split('?')[0], req.context?.requestId)));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    sendProblem(req, res, toApiProblem(error, this.logger));
  }
}

/** Express error middleware for what fails before Nest sees the request (the JSON body parser). */
export function bodyParserProblems(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    sendProblem(req, res, toApiProblem(error, logger));
  };
}
