import { ApiProblem } from "../api/api-problem.js";

/** An error from the API, shown plainly: its message, its code and the request id. */
export function ProblemBanner({ problem }: { problem: unknown }) {
  if (problem === null || problem === undefined) return null;
  const known = problem instanceof ApiProblem;
  const message = problem instanceof Error ? problem.message : "Something went wrong.";
  return (
    <div class="problem" role="alert">
      <p>{message}</p>
      {known && (
        <p class="problem-detail">
          Code <code>{problem.code}</code>
          {problem.requestId !== null && (
            <>
              {" "}
              · request id <code>{problem.requestId}</code>
            </>
          )}
        </p>
      )}
    </div>
  );
}
