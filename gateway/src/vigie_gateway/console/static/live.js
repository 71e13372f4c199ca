// Subscriptions over one WebSocket with the graphql-transport-ws protocol (what the npm
// graphql-ws client speaks): connection_init carries the token, then subscribe / next /
// error / complete per operation id, and pong for every ping.
const PROTOCOL = "graphql-transport-ws";

function socketUrl() {
  const url = new URL("../graphql", import.meta.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

export class LiveConnection {
  #socket;
  #sinks = new Map();
  #nextId = 1;
  #ready;

  /** Opens the socket; `onClosed(event)` hears when it ends (4403: the token was refused). */
  constructor(token, { onClosed } = {}) {
    this.#ready = new Promise((resolve, reject) => {
      const socket = new WebSocket(socketUrl(), PROTOCOL);
      this.#socket = socket;
      socket.addEventListener("open", () => {
        this.#send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
      });
      socket.addEventListener("message", (event) => this.#receive(JSON.parse(event.data), resolve));
      socket.addEventListener("close", (event) => {
        reject(new Error(`live connection closed (${event.code} ${event.reason})`));
        for (const sink of this.#sinks.values()) sink.error?.([{ message: "connection closed", extensions: { code: `CLOSED_${event.code}` } }]);
        this.#sinks.clear();
        onClosed?.(event);
      });
    });
    this.#ready.catch(() => {}); // a refused connection is reported through onClosed
  }

  #send(message) {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #receive(message, acknowledged) {
    const sink = this.#sinks.get(message.id);
    switch (message.type) {
      case "connection_ack":
        acknowledged();
        break;
      case "ping":
        this.#send({ type: "pong" });
        break;
      case "next":
        sink?.next(message.payload);
        break;
      case "error": // the operation was refused before it ran
        this.#sinks.delete(message.id);
        sink?.error?.(message.payload);
        break;
      case "complete":
        this.#sinks.delete(message.id);
        sink?.complete?.();
        break;
    }
  }

  /** Starts a subscription; resolves to the function that stops it. */
  async subscribe(query, variables, sink) {
    await this.#ready;
    const id = String(this.#nextId++);
    this.#sinks.set(id, sink);
    this.#send({ id, type: "subscribe", payload: { query, variables } });
    return () => {
      if (this.#sinks.delete(id)) this.#send({ id, type: "complete" });
    };
  }

  close() {
    this.#sinks.clear();
    this.#socket.close(1000, "bye");
  }
}
