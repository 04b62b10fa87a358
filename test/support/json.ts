/** A JSON body as the tests read it: untyped on purpose, since each test asserts the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
