/**
 * graphql-js reports a variable that does not fit its type with the whole value it got:
 * `Variable "$input" got invalid value { auth: { params: { password: "…" } } } at
 * "input.auth"; Field "specName" of required type "String!" was not provided.` That would
 * put credentials in an error, so the message is rebuilt from the path and the reason only,
 * and a reason that quotes the value (`String cannot represent a non string value: 42`) is
 * cut before it.
 */
const PREFIX = /^Variable "\$([^"]+)" got invalid value /;

function withoutQuotedValue(reason: string): string {
  const scalar = /^(.*? value)(: .*)$/s.exec(reason);
  if (scalar !== null) return `${scalar[1]}.`;
  return reason.replace(/^Value .*? does not exist in ("[^"]*" enum\.)(.*)$/s, 'The value does not exist in $1$2');
}

/** The message without the variable's value; any other message as it is. */
export function hideVariableValue(message: string, reason: string | undefined): string {
  const prefix = PREFIX.exec(message);
  if (prefix === null) return message;
  const name = prefix[1]!;
  const rest = reason !== undefined && message.endsWith(`; ${reason}`) ? message.slice(0, -reason.length - 2) : '';
  const at = / at "([^"]*)"$/.exec(rest)?.[1] ?? name;
  const why = reason === undefined ? 'it does not fit its type.' : withoutQuotedValue(reason);
  return `Variable "$${name}" got an invalid value at "${at}"; ${why}`;
}
