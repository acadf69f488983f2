import { Socket } from "node:net";
import pg from "pg";

interface Connection {
  client: pg.Client;
  socket: Socket;
  ready: Promise<pg.Client>;
  /** Whether the socket holds writes back until the end of this turn of the event loop. */
  corked: boolean;
}

/**
 * A few PostgreSQL connections in pg's pipeline mode, for short statements that need no
 * transaction around them (hot reads, audit INSERTs): a statement is sent at once, without
 * waiting for the answers to those before it on the same connection, so that the statements of
 * many requests share each connection's socket, its reads and its backend's wake-ups instead of
 * taking a pooled connection each. The statements of one turn of the event loop leave in one
 * write per connection: each such write (a system call that also wakes PostgreSQL) costs more
 * than serialising the statements. Statements go round the connections in turn. A connection
 * that fails is dropped (its statements fail with it) and the next statement opens a new one.
 */
export class PostgresPipeline {
  readonly #config: pg.ClientConfig;
  readonly #setup: string | undefined;
  readonly #onError: (error: Error) => void;
  readonly #clients: Array<Connection | undefined>;
  #next = 0;
  #closed = false;

  /**
   * @param setup A statement each connection runs once, before any other (e.g. a `SET`).
   * @param onError Told when a connection fails; its statements have failed already.
   */
  constructor(options: {
    connectionString: string;
    connections: number;
    setup?: string;
    onError: (error: Error) => void;
  }) {
    this.#config = { connectionString: options.connectionString };
    this.#setup = options.setup;
    this.#onError = options.onError;
    this.#clients = Array.from({ length: options.connections }, () => undefined);
  }

  /** Runs one statement and resolves with its rows. */
  async query<R>(statement: pg.QueryConfig): Promise<R[]> {
    const client = await this.#client();
    return (await client.query(statement)).rows as R[];
  }

  /**
   * Runs `statements` in one transaction, sent together; resolves once it is committed and
   * rejects with the first failure (then PostgreSQL has rolled it all back).
   */
  async transaction(statements: readonly pg.QueryConfig[]): Promise<void> {
    const client = await this.#client();
    // Sent one after another in this same turn: nothing else lands between them on the socket.
    const results = await Promise.allSettled([
      client.query("begin"),
      ...statements.map((statement) => client.query(statement)),
      // After a failure in the block, COMMIT answers ROLLBACK without an error.
      client.query("commit"),
    ]);
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = this.#clients.splice(0);
    await Promise.all(clients.map((slot) => slot?.client.end().catch(() => {})));
  }

  /** The next connection's client, its socket held back until the end of this turn. */
  async #client(): Promise<pg.Client> {
    if (this.#closed) throw new Error("The PostgreSQL connections are closed.");
    const slot = this.#next;
    this.#next = (slot + 1) % this.#clients.length;
    let open = this.#clients[slot];
    if (open === undefined) {
      open = this.#connect(slot);
      this.#clients[slot] = open;
    }
    const client = await open.ready;
    if (!open.corked) {
      const held = open;
      held.corked = true;
      held.socket.cork();
      // After the I/O callbacks of this turn, which bring the other requests' statements.
      setImmediate(() => {
        held.corked = false;
        held.socket.uncork();
      });
    }
    return client;
  }

  #connect(slot: number): Connection {
    const socket = new Socket();
    const client = new pg.Client({ ...this.#config, pipeline: true, stream: () => socket });
    const drop = (error?: Error) => {
      if (this.#clients[slot]?.client === client) this.#clients[slot] = undefined;
      if (error !== undefined) this.#onError(error);
      void client.end().catch(() => {});
    };
    client.on("error", drop);
    client.on("end", () => drop());
    const ready = (async () => {
      try {
        await client.connect();
        if (this.#setup !== undefined) await client.query(this.#setup);
      } catch (error) {
        drop();
        throw error;
      }
      return client;
    })();
    return { client, socket, ready, corked: false };
  }
}
