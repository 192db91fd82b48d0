import { Logger } from '@nestjs/common';
import { toApiProblem } from './problem.filter';

/** What a failed INSERT looks like from pg: the message and detail quote the refused value. */
function refusedInsert(): Error {
  const error = new Error('invalid input syntax for type uuid: "+84912345678 goi lua dao"');
  return Object.assign(error, {
    code: '22P02',
    severity: 'ERROR',
    table: 'reports',
    detail: 'Failing row contains (+84912345678, goi lua dao).',
  });
}

describe('toApiProblem', () => {
  it('answers an unexpected error as internal and logs where it was thrown, not the values it quotes', () => {
    const logged: string[] = [];
    const logger = { error: (line: string) => logged.push(line) } as unknown as Logger;
    const problem = toApiProblem(refusedInsert(), logger);
    expect(problem.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('SQLSTATE 22P02, table reports');
    expect(logged[0]).toMatch(/\n\s+at /);
    expect(logged[0]).not.toContain('84912345678');
    expect(logged[0]).not.toContain('goi lua dao');
  });
});
