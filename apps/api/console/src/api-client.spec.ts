import { ApiError, describeProblem } from './api-client.ts';

describe('problems as the console shows them', () => {
  it('gives the title and the detail, which already names the fields, once', () => {
    expect(
      describeProblem(400, {
        title: 'The request is invalid',
        detail: 'note: a note is required',
        errors: [{ in: 'body', field: 'note', message: 'a note is required' }],
        requestId: 'r-1',
      }),
    ).toBe('The request is invalid: note: a note is required');
    expect(
      describeProblem(400, {
        title: 'The request is invalid',
        errors: [{ field: 'note', message: 'required' }],
      }),
    ).toBe('The request is invalid: note: required');
  });

  it('names the request of a server fault, and copes with answers that explain nothing', () => {
    expect(describeProblem(500, { title: 'Internal error', detail: 'see the logs', requestId: 'r-42' })).toBe(
      'Internal error: see the logs (request id r-42)',
    );
    expect(describeProblem(502, null)).toBe('The server answered 502 without an explanation.');
    expect(describeProblem(500, {})).toBe('The server answered 500.');
  });

  it('tells a version conflict from other conflicts', () => {
    expect(new ApiError(409, { type: 'urn:abuse-monitor:problem:version-conflict' }).isVersionConflict).toBe(
      true,
    );
    expect(new ApiError(409, { type: 'urn:abuse-monitor:problem:state-conflict' }).isVersionConflict).toBe(
      false,
    );
    expect(new ApiError(412, { type: 'urn:abuse-monitor:problem:version-conflict' }).isVersionConflict).toBe(
      false,
    );
    expect(
      new ApiError(412, { type: 'urn:abuse-monitor:problem:precondition-failed' }).isVersionConflict,
    ).toBe(true);
  });
});
