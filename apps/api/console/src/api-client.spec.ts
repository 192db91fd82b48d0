import { ApiError, describeProblem } from './api-client.ts';

describe('problems as the console shows them', () => {
  it("joins the title, the detail and each field's complaint", () => {
    expect(
      describeProblem(400, {
        title: 'The request is invalid',
        detail: '1 problem',
        errors: [{ in: 'body', field: 'note', message: 'a note is required' }],
      }),
    ).toBe('The request is invalid: 1 problem (note a note is required)');
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
  });
});
