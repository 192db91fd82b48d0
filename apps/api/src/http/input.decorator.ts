import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { contextOf } from './request-context';

/** The validated input of the endpoint (type it with EndpointInput<typeof spec>). */
export const Input = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const input = contextOf(context.switchToHttp().getRequest<Request>()).input;
  if (!input) throw new Error('no validated input: the handler has no @Endpoint');
  return input;
});

/** The version a versioned endpoint was given (the interceptor has already required it). */
export function requiredVersion(input: { version: number | null }): number {
  if (input.version === null) throw new Error('versioned endpoint without a version');
  return input.version;
}
