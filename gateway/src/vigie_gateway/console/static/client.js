// GraphQL over HTTP the way the gateway wants it from a browser: a JSON POST (form and text
// bodies are refused as cross-site risks), the GraphQL-over-HTTP Accept header, and the token
// as a bearer header (the gateway sets no cookie).
import { session } from "./session.js";

const ENDPOINT = new URL("../graphql", import.meta.url);

export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
    this.codes = errors.map((e) => e.extensions?.code).filter(Boolean);
  }
}

/** {data, errors} as answered; throws only when nothing ran (HTTP refusal, syntax, limits). */
export async function request(query, variables = {}) {
  const headers = {
    "Content-Type": "application/json",
    Accept: "application/graphql-response+json, application/json",
  };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLError([{ message: `HTTP ${response.status}`, extensions: { code: `HTTP_${response.status}` } }]);
  }
  const errors = body.errors ?? [];
  if (errors.some((e) => String(e.extensions?.code ?? "").startsWith("TOKEN_"))) session.end();
  if (body.data == null && errors.length) throw new GraphQLError(errors);
  return { data: body.data, errors };
}

/** The data, or a thrown GraphQLError when any field failed. */
export async function query(document, variables) {
  const { data, errors } = await request(document, variables);
  if (errors.length) throw new GraphQLError(errors);
  return data;
}

/** A mutation's payload ({<object>, errors}); the payload's errors are the caller's to show. */
export async function mutate(document, field, input) {
  const data = await query(document, { input });
  return data[field];
}
