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
 * One PostgreSQL connection in pg's pipeline mode, for short statements that need no
 * transaction around them (hot reads, audit INSERTs): a statement is sent at once, without
 * waiting for the answers to those before it, so that the statements of many requests share the
 * socket, its reads and the backend's wake-ups instead of taking a pooled connection each. The
 * statements of one turn of the event loop leave in one write: each write (a system call that
 * also wakes PostgreSQL) costs more than serialising the statements.
 *
 * One connection keeps up with one Node process: the backend spends less on a short statement
 * than the server does on the request around it. If the connection fails, its statements fail
 * with it and the next statement opens a new one.
 */
export class PostgresPipeline {
  readonly #connectionString: string;
  readonly #setup: string | undefined;
  readonly #onError: (error: Error) => void;
  #connection: Connection | undefined;
  #closed = false;

  /**
   * @param setup A statement the connection runs once, before any other (e.g. a `SET`).
   * @param onError Told when the connection fails; its statements have failed already.
   */
  constructor(options: {
    connectionString: string;
    setup?: string;
    onError: (error: Error) => void;
  }) {
    this.#connectionString = options.connectionString;
    this.#setup = options.setup;
    this.#onError = options.onError;
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
    // Queued one after another in this same tick: nothing else lands between them.
    const results = await Promise.allSettled([
      client.query("begin"),
      ...statements.map((statement) => client.query(statement)),
      // After a failure in the block, COMMIT answers ROLLBACK without an error.
      client.query("commit"),
    ]);
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }

  /** Closes the connection once the statements sent on it are answered. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.client.end().catch(() => {});
  }

  /** The connection's client, its socket held back until the end of this turn. */
  async #client(): Promise<pg.Client> {
    if (this.#closed) throw new Error("The PostgreSQL connection is closed.");
    this.#connection ??= this.#connect();
    const connection = this.#connection;
    const client = await connection.ready;
    if (!connection.corked) {
      connection.corked = true;
      connection.socket.cork();
      // After this turn's I/O callbacks, which bring the other requests' statements.
      setImmediate(() => {
        connection.corked = false;
        connection.socket.uncork();
      });
    }
    return client;
  }

  #connect(): Connection {
    // pg's own choice of stream, made here to be able to cork it.
    const socket = new Socket();
    const client = new pg.Client({
      connectionString: this.#connectionString,
      keepAlive: true,
      pipeline: true,
      stream: () => socket,
    });
    const drop = (error?: Error) => {
      if (this.#connection?.client === client) this.#connection = undefined;
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
