import { CodedError } from './coded-error';

enum ThingErrorCode {
  Missing = 'MISSING',
}
class ThingError extends CodedError<ThingErrorCode> {}

describe(CodedError.name, () => {
  it('carries code, message, details and the subclass name, with a stack', () => {
    const error = new ThingError(ThingErrorCode.Missing, 'no thing', { id: 7 });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'MISSING',
      message: 'no thing',
      details: { id: 7 },
      name: 'ThingError',
    });
    expect(error.stack).toContain('no thing');
  });
});
