import { join } from "node:path";
import { KEY_FILE_NAME } from "../../crypto/load-key-ring.js";
import { openService } from "../../service/open-service.js";
import { DATABASE_FILE_NAME, redactUrl } from "../../storage/open-database.js";
import {
  DEFAULT_DATA_DIR,
  endpointOf,
  type ListenFlags,
  listenSettings,
  type StorageFlags,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";

/** The tenant `init` creates. */
export const DEFAULT_TENANT = "default";

/** What `hush-server init` takes. */
export interface InitOptions extends StorageFlags, ListenFlags {
  /** Print {"endpoint","tenant","token","created"} as JSON. */
  json?: boolean | undefined;
}

/**
 * Sets up a data folder: its database, master key and tenant "default" with an admin token,
 * printed once. Changes nothing when the folder already has a tenant.
 */
export async function init(values: InitOptions, io: CliIo): Promise<number> {
  const { host, port } = listenSettings(values, io, "init");
  const storage = storageSettings(values, io);
  const endpoint = endpointOf(host, port);

  const service = await openService({ ...storage, env: io.env });
  try {
    const existing = await service.listTenants();
    if (existing.length > 0) {
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ endpoint, tenant: existing[0]!.name, token: null, created: false })}\n`,
        );
      } else {
        io.stdout.write(
          `hush-server is already initialised in ${storage.dataDir} (tenants: ${existing.map((t) => t.name).join(", ")}); nothing was changed.\n` +
            `Lost the admin token? Create another with: hush-server token create --tenant ${existing[0]!.name} --role TENANT_ADMIN --name admin-2\n`,
        );
      }
      return 0;
    }
    const { tenant, token } = await service.createTenant(DEFAULT_TENANT);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ endpoint, tenant: tenant.name, token, created: true })}\n`,
      );
      return 0;
    }
    const database =
      storage.databaseUrl === undefined
        ? join(storage.dataDir, DATABASE_FILE_NAME)
        : `PostgreSQL at ${redactUrl(storage.databaseUrl)}`;
    const masterKey =
      io.env.HUSH_MASTER_KEY || io.env.HUSH_MASTER_KEYS
        ? "from the environment (keep it safe: without it the secrets cannot be read)"
        : `${join(storage.dataDir, KEY_FILE_NAME)} (mode 0600; back it up: without it the secrets cannot be read)`;
    const dataDirArg =
      storage.dataDir === join(io.cwd, DEFAULT_DATA_DIR) ? "" : ` --data-dir ${storage.dataDir}`;
    io.stdout.write(
      `Initialised hush-server in ${storage.dataDir}
  database:    ${database}
  master key:  ${masterKey}
  tenant:      ${tenant.name}

The TENANT_ADMIN token for tenant "${tenant.name}" is shown once, store it now:

  ${token}

Start the server:
  hush-server start${dataDirArg}

Then point hush at it, e.g. in ~/.hush/config.toml:
  backend = "cloud"
  [cloud]
  endpoint = "${endpoint}"
  api_key = "<the token above>"
  use_local_secrets = false

or with the environment: HUSH__CLOUD__ENDPOINT=${endpoint} HUSH__CLOUD__API_KEY=<the token above>
`,
    );
    return 0;
  } finally {
    await service.close();
  }
}
