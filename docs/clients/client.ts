// A small typed client over fetch, using the types openapi-typescript generated from
// procflow's OpenAPI document (procflow.d.ts beside this file; regenerate with `make clients`).
import type { components, paths } from "./procflow";

type Schemas = components["schemas"];
export type DueDateRequest = Schemas["DueDateRequest"];
export type DueDateAnswer = Schemas["DueDateAnswer"];
export type Dossier = Schemas["Dossier"];
export type Evaluation = Schemas["Evaluation"];
export type Report = Schemas["Report"];
export type Problem = Schemas["Problem"];
type Procedures =
  paths["/v1/procedures"]["get"]["responses"][200]["content"]["application/json"];

/** An RFC 9457 problem answered by the service, with the library's message. */
export class ProcflowProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.title}: ${problem.detail}`);
  }
}

export class ProcflowClient {
  constructor(private readonly base: string) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetch(new URL(path, this.base), init);
    if (!response.ok) throw new ProcflowProblem((await response.json()) as Problem);
    return (await response.json()) as T;
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  procedures(): Promise<Procedures> {
    return this.call<Procedures>("v1/procedures");
  }

  dueDate(request: DueDateRequest): Promise<DueDateAnswer> {
    return this.post<DueDateAnswer>("v1/due-date", request);
  }

  evaluate(dossiers: Dossier[], asOf?: string): Promise<Evaluation[]> {
    return this.post<Evaluation[]>("v1/evaluate", { as_of: asOf ?? null, dossiers });
  }

  report(file: Blob, name: string, from: string, to: string, by?: string): Promise<Report> {
    const form = new FormData();
    form.append("file", file, name);
    form.append("from", from);
    form.append("to", to);
    if (by) form.append("by", by);
    return this.call<Report>("v1/report", { method: "POST", body: form });
  }
}

// Example:
//   const procflow = new ProcflowClient("http://127.0.0.1:8000/");
//   const due = await procflow.dueDate({
//     received_at: "2024-01-31T15:20:00+07:00",
//     time_limit: { value: 2, unit: "working_days" },
//     cutoff: "15:00",
//   });
//   console.log(due.due_at, due.explanation.vi);
