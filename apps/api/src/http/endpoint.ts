import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import { z } from 'zod';
import type { Permission } from '@abuse-monitor/domain';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/**
 * One operation of the API, described once: the route, who may call it, and the schemas of its
 * path parameters, query, body and response. The same description drives routing, the role
 * check, validation of what comes in and goes out, and the OpenAPI document, so they cannot drift.
 */
export interface EndpointSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI style: '/api/v1/flags/{id}'. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** null: no token needed. */
  readonly permission: Permission | null;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  readonly status?: 200 | 201 | 202;
  /** Takes the version the client read, as If-Match or a `version` body field. */
  readonly versioned?: boolean;
  /** Other media types the response can take (negotiated by Accept), besides JSON. */
  readonly alternativeMediaTypes?: readonly string[];
  /** Refusals the operation can give besides 400, 401, 403 and 429. */
  readonly problems?: readonly number[];
}

export type EndpointInput<S> =
  S extends EndpointSpec<infer P, infer Q, infer B, z.ZodType>
    ? { params: z.output<P>; query: z.output<Q>; body: z.output<B>; version: number | null }
    : never;

export type EndpointOutput<S> =
  S extends EndpointSpec<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.input<R> : never;

export const ENDPOINT_METADATA = 'abuse-monitor:endpoint';

const registry: EndpointSpec[] = [];

export function defineEndpoint<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
>(spec: EndpointSpec<P, Q, B, R>): EndpointSpec<P, Q, B, R> {
  if (registry.some((e) => e.operationId === spec.operationId))
    throw new Error(`operationId ${spec.operationId} is defined twice`);
  registry.push(spec as unknown as EndpointSpec);
  return spec;
}

/** Every endpoint defined so far (all of them once the controllers are imported). */
export function allEndpoints(): readonly EndpointSpec[] {
  return registry;
}

const METHODS: Record<HttpMethod, RequestMethod> = {
  get: RequestMethod.GET,
  post: RequestMethod.POST,
  patch: RequestMethod.PATCH,
  delete: RequestMethod.DELETE,
};

export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

/** Routes a controller method to the endpoint and attaches its description. */
export function Endpoint(spec: EndpointSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: expressPath(spec.path), method: METHODS[spec.method] }),
    HttpCode(spec.status ?? 200),
    SetMetadata(ENDPOINT_METADATA, spec),
  );
}
