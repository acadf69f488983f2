import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import { LRUCache } from "lru-cache";
import { ServiceError } from "../service/errors.js";
import type { RequestContext } from "./context.js";
import {
  formatDocumentError,
  formatExecutionError,
  formatServiceError,
  type UnexpectedErrorHandler,
} from "./errors/format-errors.js";
import { type FormattedError, TransportErrorCode } from "./errors/formatted-error.js";
import { describeVariableErrors } from "./errors/variable-errors.js";
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  type OperationDefinitionNode,
  parse,
  specifiedRules,
  validate,
} from "./graphql-js.js";
import { introspects } from "./introspection.js";
import { checkDocumentLimits, type DocumentLimits } from "./limits/document-limits.js";
import { requestedValues, type ValueField, valueFieldsOf } from "./limits/requested-values.js";

/** Limits and cache sizes of a {@link GraphQLEngine}. */
export interface GraphQLEngineOptions extends Partial<DocumentLimits> {
  /**
   * Tokens a document may have; parsing stops beyond.
   * @default 5000
   */
  readonly maxTokens?: number;
  /**
   * Compiled documents kept, least recently used evicted first.
   * @default 1000
   */
  readonly cacheSize?: number;
}

/** A parsed, validated and compiled operation, ready to run many times. */
export interface PreparedOperation {
  readonly kind: "query" | "mutation";
  /** Whether it selects `__schema` or `__type`: only callers with a token may run it. */
  readonly introspection: boolean;
  readonly operation: OperationDefinitionNode;
  readonly compiled: CompiledQuery;
  /** The fields that read values, weighed before each run. */
  readonly valueFields: readonly ValueField[];
}

/** What the GraphQL route sends back: data and/or errors. */
export interface GraphQLResponseBody {
  data?: unknown;
  errors?: FormattedError[];
}

const DEFAULTS = {
  maxTokens: 5000,
  cacheSize: 1000,
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxSelections: 2000,
};

// Documents are the cache keys; beyond this many characters in all, the oldest are evicted.
const MAX_CACHED_QUERY_CHARS = 8 * 1024 * 1024;

/**
 * Parses, validates (with depth, alias and root-field limits) and compiles documents with
 * graphql-jit, keeping compiled documents in a bounded LRU cache keyed by query text and operation
 * name: a cached document is neither parsed nor validated again.
 */
export class GraphQLEngine {
  readonly #schema: GraphQLSchema;
  readonly #limits: DocumentLimits;
  readonly #maxTokens: number;
  readonly #cache: LRUCache<string, PreparedOperation | FormattedError[]>;

  constructor(schema: GraphQLSchema, options: GraphQLEngineOptions = {}) {
    this.#schema = schema;
    this.#limits = {
      maxDepth: options.maxDepth ?? DEFAULTS.maxDepth,
      maxAliases: options.maxAliases ?? DEFAULTS.maxAliases,
      maxRootFields: options.maxRootFields ?? DEFAULTS.maxRootFields,
      maxSelections: options.maxSelections ?? DEFAULTS.maxSelections,
    };
    this.#maxTokens = options.maxTokens ?? DEFAULTS.maxTokens;
    this.#cache = new LRUCache({
      max: options.cacheSize ?? DEFAULTS.cacheSize,
      // A document larger than the whole budget is not cached at all.
      maxSize: MAX_CACHED_QUERY_CHARS,
      sizeCalculation: (_value, key) => Math.max(1, key.length),
    });
  }

  /** How many documents (compiled or refused) are cached. */
  get cachedDocuments(): number {
    return this.#cache.size;
  }

  /**
   * The compiled operation for a document, or the errors that stop it from running. Both are
   * cached: a document sent again is neither parsed nor checked again, whatever the verdict.
   */
  prepare(query: string, operationName: string | undefined): PreparedOperation | FormattedError[] {
    // The name's length first, so that no other pair of strings makes the same key.
    const key =
      operationName === undefined
        ? `-${query}`
        : `${operationName.length}:${operationName}${query}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let prepared: PreparedOperation | FormattedError[];
    try {
      prepared = this.#compile(query, operationName);
    } catch (error) {
      // graphql-js parses and graphql-jit compiles literals recursively: nesting that fits in
      // the token limit can still exhaust the stack. That is the document's fault, not ours.
      if (!(error instanceof RangeError)) throw error;
      prepared = [
        {
          message:
            "The document is nested too deeply; flatten it or send deep values as variables.",
          extensions: { code: TransportErrorCode.GRAPHQL_PARSE_FAILED },
        },
      ];
    }
    this.#cache.set(key, prepared);
    return prepared;
  }

  /**
   * Runs a prepared operation; resolver errors are formatted (and masked when unexpected). An
   * operation that reads values is weighed first, and refused whole past the service's limits.
   */
  async execute(
    prepared: PreparedOperation,
    context: RequestContext,
    variables: Record<string, unknown> | undefined,
    onUnexpected: UnexpectedErrorHandler,
  ): Promise<GraphQLResponseBody> {
    let runIn = context;
    if (prepared.valueFields.length > 0) {
      const reads = requestedValues(prepared.valueFields, prepared.operation, variables);
      try {
        const readBudget = await context.service.admitValueReads(context.caller, reads);
        runIn = { ...context, readBudget };
      } catch (error) {
        if (error instanceof ServiceError) return { errors: [formatServiceError(error)] };
        throw error;
      }
    }
    const result: ExecutionResult = await prepared.compiled.query(undefined, runIn, variables);
    if (!("data" in result)) {
      // graphql-jit returns errors without data only when the variables do not coerce.
      return {
        errors: describeVariableErrors(
          this.#schema,
          prepared.operation,
          variables ?? {},
          result.errors ?? [],
        ),
      };
    }
    if (result.errors === undefined || result.errors.length === 0) return { data: result.data };
    return {
      data: result.data,
      errors: result.errors.map((error) =>
        formatExecutionError(error, context.requestId, onUnexpected),
      ),
    };
  }

  #compile(query: string, operationName: string | undefined): PreparedOperation | FormattedError[] {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.#maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) {
        return [formatDocumentError(error, TransportErrorCode.GRAPHQL_PARSE_FAILED)];
      }
      throw error;
    }
    const invalid = (errors: readonly GraphQLError[]) =>
      errors.map((error) =>
        formatDocumentError(error, TransportErrorCode.GRAPHQL_VALIDATION_FAILED),
      );
    // The cheap shape limits first: a hostile document never reaches the standard rules, some
    // of which are quadratic in the number of fields.
    const overLimits = checkDocumentLimits(document, this.#limits);
    if (overLimits.length > 0) return invalid(overLimits);
    const errors = validate(this.#schema, document, specifiedRules, { maxErrors: 20 });
    if (errors.length > 0) return invalid(errors);

    const operation = getOperationAST(document, operationName);
    if (operation === null || operation === undefined) {
      return [
        {
          message: operationName
            ? "The document has no operation with the given operationName."
            : "The document has several operations: send operationName to pick one.",
          extensions: { code: TransportErrorCode.GRAPHQL_VALIDATION_FAILED },
        },
      ];
    }
    if (operation.operation === "subscription") {
      return [
        {
          message: "Subscriptions are not supported: use a query or a mutation.",
          extensions: { code: TransportErrorCode.GRAPHQL_VALIDATION_FAILED },
        },
      ];
    }
    const compiled = compileQuery(this.#schema, document, operationName, {
      // Resolver errors keep their own stacks; errors graphql-jit creates need none.
      disablingCapturingStackErrors: true,
    });
    if (!isCompiledQuery(compiled)) {
      return invalid((compiled as ExecutionResult).errors ?? []);
    }
    return {
      kind: operation.operation,
      introspection: introspects(document, operation),
      operation,
      compiled,
      valueFields: valueFieldsOf(document, operation),
    };
  }
}
