// The form-level messages: what went wrong as a whole, announced when it appears.
import { Alert, Paragraph } from '@digdir/designsystemet-react';

export function FormAlert({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <Alert data-color="danger" role="alert">
      {messages.map((message) => (
        <Paragraph key={message}>{message}</Paragraph>
      ))}
    </Alert>
  );
}
