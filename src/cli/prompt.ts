import { isIP } from 'node:net';
import { createInterface } from 'node:readline/promises';

/**
 * The seed's start-up dialogue (seed/img/serverlogin.png): asks for the IP address and the TCP
 * port, re-asks until each is valid, Enter keeps the default.
 */
export async function promptAddress(
  defaults: { host: string; port: number },
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<{ host: string; port: number }> {
  const rl = createInterface({ input, output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string | undefined> => {
    output.write(`${question}\n`);
    const next = await lines.next();
    return next.done ? undefined : next.value.trim();
  };
  try {
    let host: string | undefined;
    while (host === undefined) {
      const answer = await ask(`Please input a valid IP address of this Howdy Server, press Enter to use ${defaults.host}.`);
      if (answer === undefined) throw new Error('no address given (input ended)');
      if (answer === '') host = defaults.host;
      else if (isIP(answer)) host = answer;
    }
    let port: number | undefined;
    while (port === undefined) {
      const answer = await ask(`Please input a valid TCP port number for Howdy Server, press Enter to use ${defaults.port}.`);
      if (answer === undefined) throw new Error('no port given (input ended)');
      if (answer === '') port = defaults.port;
      else if (/^\d+$/.test(answer) && Number(answer) >= 1025 && Number(answer) <= 65535) port = Number(answer);
    }
    output.write(`You are going to start Howdy Server with ('${host}', ${port})\n`);
    return { host, port };
  } finally {
    rl.close();
  }
}
