// RFC 9457 problem details as the services send them, and the error the query layer throws.

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldError).field === 'string' &&
    typeof (value as FieldError).message === 'string'
  );
}

function asProblem(body: unknown): Problem {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const problem: Problem = {};
  if (typeof b.type === 'string') problem.type = b.type;
  if (typeof b.title === 'string') problem.title = b.title;
  if (typeof b.status === 'number') problem.status = b.status;
  if (typeof b.detail === 'string') problem.detail = b.detail;
  if (Array.isArray(b.errors)) problem.errors = b.errors.filter(isFieldError);
  return problem;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, body: unknown) {
    const problem = asProblem(body);
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The data of an openapi-fetch result, or an ApiError for TanStack Query to hold. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new ApiError(result.response.status, result.error);
  }
  return result.data;
}

/**
 * Field messages keyed by the form field they belong to. A field may come as a JSON pointer or a
 * dotted location ("body.full_name", "/full_name"); the last segment names the field.
 */
export function fieldErrors(problem: Problem): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const { field, message } of problem.errors ?? []) {
    const name = field.split(/[./]/).filter(Boolean).pop() ?? field;
    byField.set(name, [...(byField.get(name) ?? []), message]);
  }
  return byField;
}
