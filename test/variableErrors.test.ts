import { describe, expect, it } from 'vitest';
import { hideVariableValue } from '../src/variableErrors.ts';

describe('errors about a variable that does not fit its type', () => {
  it('keep the path and the reason but never the value', () => {
    const reason = 'Field "specName" of required type "String!" was not provided.';
    expect(
      hideVariableValue(
        `Variable "$input" got invalid value { params: { password: "hunter2; at \\"x\\"" } } at "input.auth"; ${reason}`,
        reason,
      ),
    ).toBe(`Variable "$input" got an invalid value at "input.auth"; ${reason}`);
  });

  it('cut a reason that quotes the value', () => {
    expect(
      hideVariableValue(
        'Variable "$input" got invalid value 42 at "input.name"; String cannot represent a non string value: 42',
        'String cannot represent a non string value: 42',
      ),
    ).toBe('Variable "$input" got an invalid value at "input.name"; String cannot represent a non string value.');
    const enumReason = 'Value "hunter2" does not exist in "PreviewFileType" enum. Did you mean the enum value "JSON"?';
    expect(hideVariableValue(`Variable "$f" got invalid value "hunter2"; ${enumReason}`, enumReason)).toBe(
      'Variable "$f" got an invalid value at "f"; The value does not exist in "PreviewFileType" enum. Did you mean the enum value "JSON"?',
    );
  });

  it('leave every other message as it is', () => {
    const message = 'Variable "$input" of required type "CreateBaseConnectionInput!" was not provided.';
    expect(hideVariableValue(message, undefined)).toBe(message);
  });
});
