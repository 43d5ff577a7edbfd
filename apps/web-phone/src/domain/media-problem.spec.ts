import { classifyMediaError, mediaProblemMessage } from './media-problem';

describe(classifyMediaError.name, () => {
  it.each([
    ['NotAllowedError', 'not-allowed'],
    ['NotFoundError', 'not-found'],
    ['OverconstrainedError', 'not-found'],
    ['NotReadableError', 'in-use'],
    ['SecurityError', 'insecure'],
    ['SomethingElse', 'other'],
    [undefined, 'other'],
  ] as const)('reads %s as %s', (name, problem) => {
    expect(classifyMediaError(name)).toBe(problem);
  });

  it('tells the user what to do about a blocked or missing microphone', () => {
    expect(mediaProblemMessage('not-allowed')).toMatch(/Microphone access is blocked.*Allow/);
    expect(mediaProblemMessage('not-found')).toMatch(/No microphone found/);
  });
});
