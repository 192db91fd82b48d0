import { z } from 'zod';
import type { FieldProblem } from './problem';

/** One problem per invalid field, and one per unknown field, named the way the client wrote it. */
export function fieldProblems(error: z.ZodError, where: FieldProblem['in']): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        in: where,
        field: base ? `${base}.${key}` : key,
        message: 'unknown field',
      }));
    }
    return [{ in: where, field: base, message: issue.message }];
  });
}
