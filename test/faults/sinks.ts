/**
 * Test servers for the channels notifications leave through: a real SMTP server and an HTTP SMS
 * gateway, each able to stall (accept the connection, then say nothing) until released.
 */
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
}

interface Stallable {
  /** From now on, connections are accepted and left without an answer. */
  stall(): void;
  /** Answers again, including the connections held meanwhile that are still open. */
  release(): void;
  /** Connections that arrived while stalled. */
  readonly stalledConnections: number;
  /** Conversations under way that are not held: each may still deliver a message. */
  readonly inFlight: number;
  close(): Promise<void>;
}

export interface SmtpSink extends Stallable {
  url: string;
  received: ReceivedMail[];
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) of a header value. */
function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, kind: string, text: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_h, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** The Subject header of a raw message, unfolded and decoded. */
export function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => /^subject:/i.test(l)) ?? '';
  return decodeHeader(line.replace(/^subject:\s*/i, '')).trim();
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let stalled = false;
  let stalledConnections = 0;
  const active = new Set<string>();
  const held: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Held before the greeting: the client waits for a server that accepted but never speaks.
    onConnect(session, callback) {
      const go = () => {
        active.add(session.id);
        callback();
      };
      if (!stalled) return go();
      stalledConnections++;
      held.push(go);
    },
    onClose(session) {
      active.delete(session.id);
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString();
      });
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          subject: subjectOf(data),
        });
        callback();
      });
    },
  });
  // A client that gave up on a held connection makes the socket fail; that is expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stall: () => {
      stalled = true;
    },
    release: () => {
      stalled = false;
      for (const go of held.splice(0)) go();
    },
    get stalledConnections() {
      return stalledConnections;
    },
    get inFlight() {
      return active.size;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SmsSink extends Stallable {
  url: string;
  /** The JSON bodies of the messages accepted. */
  received: { to: string; text: string }[];
}

export async function startSmsSink(): Promise<SmsSink> {
  const received: { to: string; text: string }[] = [];
  let stalled = false;
  let stalledConnections = 0;
  let inFlight = 0;
  const held: (() => void)[] = [];
  const answer = (raw: string, res: http.ServerResponse) => {
    const body: unknown = JSON.parse(raw);
    if (typeof body === 'object' && body !== null && 'to' in body && 'text' in body)
      received.push({ to: String(body.to), text: String(body.text) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    inFlight++;
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      inFlight--;
      if (!stalled) return answer(raw, res);
      stalledConnections++;
      // A held request whose client gave up is not a delivery: only answer the ones still open.
      held.push(() => {
        if (!res.destroyed && !req.socket.destroyed) answer(raw, res);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/send`,
    received,
    stall: () => {
      stalled = true;
    },
    release: () => {
      stalled = false;
      for (const go of held.splice(0)) go();
    },
    get stalledConnections() {
      return stalledConnections;
    },
    get inFlight() {
      return inFlight;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
