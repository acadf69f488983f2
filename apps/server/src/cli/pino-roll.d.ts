// pino-roll ships JavaScript only; this is the part of its API the server uses.
declare module "pino-roll" {
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: string | number;
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    mkdir?: boolean;
    sync?: boolean;
  }
  /** A sonic-boom stream that starts a new numbered file when the current one is full. */
  interface RollingStream {
    write(text: string): boolean;
    flushSync(): void;
    end(): void;
    once(event: "close" | "error", listener: (error?: Error) => void): unknown;
  }
  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
