// One graphql-ws subscriber for the gateway's live tests. Argument: a JSON object
// {url, connectionParams, query, variables, pause}. Prints one JSON line per thing that happens:
// {"connected":true}, {"next":<result>}, {"error":<close event or errors>}, {"complete":true}.
// With pause, it stops reading the socket once connected: a client too slow to keep up.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const options = JSON.parse(process.argv[2]);
const say = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const client = createClient({
  url: options.url,
  webSocketImpl: WebSocket,
  connectionParams: options.connectionParams,
  retryAttempts: 0,
  shouldRetry: () => false,
  on: {
    connected: (socket) => {
      if (options.pause) socket._socket.pause(); // stop reading: the server's sends back up
      say({ connected: true });
    },
  },
});

const finish = () => client.dispose().finally(() => process.exit(0));

client.subscribe(
  { query: options.query, variables: options.variables ?? {} },
  {
    next: (result) => say({ next: result }),
    error: (error) => {
      const detail = Array.isArray(error)
        ? error
        : { code: error.code, reason: error.reason, message: error.message };
      say({ error: detail });
      finish();
    },
    complete: () => {
      say({ complete: true });
      finish();
    },
  },
);
